#!/usr/bin/env node
// `mailroom` (package.json "bin"): runs the TypeScript CLI directly through tsx's loader API, so
// `npx mailroom …` works right after `npm ci` with no build step. The package is CommonJS, so the
// CLI's .ts files load as CommonJS: tsx's CJS hook compiles them; its ESM hook covers ESM-only
// dependencies and the CLI's dynamic imports.
import { register as registerCjs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';
import { createRequire } from 'node:module';

registerCjs();
registerEsm();
const require = createRequire(import.meta.url);
/** @type {{ runCli(argv: string[]): Promise<number> }} */
const cli = require('../electron/cli/cli-main.ts');
process.exitCode = await cli.runCli(process.argv.slice(2));
