import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * vitest globalSetup: rebuilds out/cli/mailroom.cjs when any file it is made from changed, before any
 * test spawns bin/mailroom.mjs, so a CLI test never passes or fails on a bundle older than the code.
 * (`npm test` builds everything first anyway; this covers `npx vitest run <file>`.)
 */
export default function buildCliBundle(): void {
  execFileSync(process.execPath, [resolve(__dirname, '../../scripts/build-cli.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
}
