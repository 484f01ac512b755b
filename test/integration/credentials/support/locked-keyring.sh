#!/usr/bin/env bash
# Runs inside its own keyring session (test/harness/with-keyring-session.sh): saves one account's
# password while the keyring is unlocked, locks the collection over D-Bus (Secret Service Lock), then
# asks the app to work with the locked keyring.
# Usage: with-keyring-session.sh bash locked-keyring.sh <node> <tsx-cli> <child.ts> <profileDir> <password-file>
set -euo pipefail
node_bin="$1"; tsx_cli="$2"; child="$3"; profile="$4"; password_file="$5"
# The password stays in its file so it never appears in a process list.
"$node_bin" "$tsx_cli" "$child" "$profile" prepare "$password_file" >&2
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
"$node_bin" "$tsx_cli" "$child" "$profile" check "$password_file"
