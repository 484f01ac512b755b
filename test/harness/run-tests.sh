#!/usr/bin/env bash
# `npm test`: build, then run every test project (unit, renderer, integration against real peers,
# end-to-end in Chromium) inside a private D-Bus session with an unlocked gnome-keyring.
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run build
exec bash test/harness/with-keyring-session.sh npx vitest run "$@"
