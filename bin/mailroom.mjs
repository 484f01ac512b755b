#!/usr/bin/env node
// `mailroom` (package.json "bin"). Runs the prebuilt CLI, out/cli/mailroom.cjs: one CommonJS file
// that `npm run build` and npm's `prepare` (so every `npm ci`/`npm install` of a clone) write with
// scripts/build-cli.mjs. Without it (an install that skipped scripts) the CLI still answers, from
// its TypeScript sources through tsx, after one line on stderr saying how to get the fast start back.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadWithCodeCache } from './code-cache.mjs';

/** @typedef {{ runCli(argv: string[]): Promise<number> }} Cli */

const bundle = fileURLToPath(new URL('../out/cli/mailroom.cjs', import.meta.url));

/** @returns {Promise<Cli>} */
async function fromSources() {
  process.stderr.write(
    'mailroom: out/cli/mailroom.cjs is missing, so this start compiles the TypeScript sources (slow); `npm run build:cli` builds it.\n',
  );
  let apis;
  try {
    apis = await Promise.all([import('tsx/cjs/api'), import('tsx/esm/api')]);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // tsx, like esbuild, is a devDependency: an install without them has neither bundle nor sources' loader.
    process.stderr.write(
      'mailroom: tsx is not installed either (an install without devDependencies); run `npm ci`, which builds the CLI.\n',
    );
    process.exit(1);
  }
  const [{ register: registerCjs }, { register: registerEsm }] = apis;
  registerCjs();
  registerEsm();
  return createRequire(import.meta.url)('../electron/cli/cli-main.ts');
}

let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch (error) {
  if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
}

/** @type {Cli} */
let cli;
if (source === undefined) {
  cli = await fromSources();
} else {
  const loaded = loadWithCodeCache(bundle, source);
  cli = loaded.exports;
  // No cache yet, or one for another Node or an older bundle: keep what this run compiled.
  if (!loaded.cacheUsed) process.once('exit', () => loaded.saveCache());
}
process.exitCode = await cli.runCli(process.argv.slice(2));
