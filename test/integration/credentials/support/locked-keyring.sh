#!/usr/bin/env bash
# Inside its own dbus-run-session: a second gnome-keyring, unlocked to save one account's password,
# then locked over D-Bus (Secret Service Lock), then the app is asked to work with it.
# Usage: dbus-run-session -- bash locked-keyring.sh <node> <tsx-cli> <child.ts> <profileDir> <password-file>
set -euo pipefail
node_bin="$1"; tsx_cli="$2"; child="$3"; profile="$4"; password_file="$5"
home="$(mktemp -d -t mailroom-locked-keyring-XXXXXX)"
export XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
secrets_pid() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ {print $2}'
}
cleanup() {
  local pid
  pid="$(secrets_pid || true)"
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap cleanup EXIT
printf '%s' "locked-keyring-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 1 100); do
  if [ -n "$(secrets_pid)" ]; then break; fi
  sleep 0.1
done
# The password stays in its file so it never appears in a process list.
"$node_bin" "$tsx_cli" "$child" "$profile" prepare "$password_file" >&2
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
"$node_bin" "$tsx_cli" "$child" "$profile" check "$password_file"
