#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a freshly created, unlocked gnome-keyring,
# so tests use a real Secret Service without touching the user's own keychain.
# Usage: test/harness/with-keyring-session.sh COMMAND [ARGS...]
set -euo pipefail
if [ -z "${MAILROOM_KEYRING_SESSION:-}" ]; then
  export MAILROOM_KEYRING_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi

keyring_home="$(mktemp -d -t mailroom-keyring-XXXXXX)"
# gnome-keyring keeps its keyrings under $XDG_DATA_HOME/keyrings: a throwaway one per run.
export XDG_DATA_HOME="$keyring_home/data"
export XDG_RUNTIME_DIR="$keyring_home/run"
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
  # The daemon outlives the bus unless stopped.
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$keyring_home"
}
trap cleanup EXIT

printf '%s' "mailroom-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 1 100); do
  if [ -n "$(secrets_pid)" ]; then break; fi
  sleep 0.1
done
if [ -z "$(secrets_pid)" ]; then
  echo "gnome-keyring did not come up on the session bus" >&2
  exit 1
fi
"$@"
