import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * vitest globalSetup: builds out/cli/mailroom.cjs from the sources as they are now, before any test
 * spawns bin/mailroom.mjs, so a CLI test never passes or fails on a bundle older than the code.
 * (`npm test` builds everything first anyway; this covers `npx vitest run <file>`.)
 */
export default function buildCliBundle(): void {
  execFileSync(process.execPath, [resolve(__dirname, '../../scripts/build-cli.mjs')], { stdio: 'inherit' });
}
