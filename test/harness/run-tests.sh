#!/usr/bin/env bash
# `npm test`: build, then run every test project (unit, renderer, integration against real peers,
# end-to-end in Chromium) inside a private D-Bus session with an unlocked gnome-keyring.
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run build
results="$(mktemp -t mailroom-test-results-XXXXXX.json)"
trap 'rm -f "$results"' EXIT
status=0
bash test/harness/with-keyring-session.sh npx vitest run --reporter=default --reporter=json \
  --outputFile.json="$results" "$@" || status=$?
# One plain closing line that any CI can read: "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" 2>/dev/null || echo "0 passed, 1 failed (no test results were written)"
exit "$status"
