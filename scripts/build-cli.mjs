#!/usr/bin/env node
// Builds the `mailroom` CLI into one CommonJS file, out/cli/mailroom.cjs, which bin/mailroom.mjs runs.
// Run by `npm run build` and by npm's `prepare` (so right after `npm ci`): a fresh clone's
// `npx mailroom` starts from plain JavaScript instead of compiling TypeScript at every start.
// `--if-stale` (the test harness) builds only when a file the last bundle was made from has changed.
import { statSync } from 'node:fs';
import { readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { loadWithCodeCache } from '../bin/code-cache.mjs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'out/cli/mailroom.cjs');
/** The files the bundle was made from (esbuild's metafile), for --if-stale. */
const inputsFile = join(root, 'out/cli/mailroom.inputs.json');

/** Whether the bundle is missing or older than any file it was made from (sources, packages, this script). */
async function isStale() {
  const mtime = (file) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return Infinity;
    }
  };
  let inputs;
  try {
    inputs = JSON.parse(await readFile(inputsFile, 'utf8'));
  } catch {
    return true;
  }
  const built = mtime(outFile);
  const made = [
    fileURLToPath(import.meta.url),
    join(root, 'bin/code-cache.mjs'),
    ...inputs.map((f) => join(root, f)),
  ];
  return built === Infinity || made.some((file) => mtime(file) > built);
}

if (process.argv.includes('--if-stale') && !(await isStale())) process.exit(0);

let build;
try {
  ({ build } = await import('esbuild'));
} catch (error) {
  if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  // An install without devDependencies (npm ci --omit=dev) still runs `prepare`: it must not fail
  // there. The bin then says what is missing when it is run.
  process.stderr.write(
    'build-cli: esbuild (a devDependency) is not installed; the CLI bundle was not built.\n',
  );
  process.exit(0);
}

/** Whatever the CLI may load at run time rather than carry in the bundle. */
const EXTERNAL = [
  // Native module: its compiled binding lives in node_modules and cannot be bundled.
  'keytar',
  // Parses sent messages only (outbox list/show); loaded on first use, so leaving it out of the
  // bundle keeps every other command from compiling it.
  'mailparser',
  // SPF and DMARC for the delivery check (verify --from): a megabyte with its dependencies (joi,
  // tldts), loaded only when a check runs.
  'mailauth',
];

/** The core never imports electron; a bundle that pulled it in would be a layering bug, so fail. */
const refuseElectron = {
  name: 'refuse-electron',
  setup(b) {
    b.onResolve({ filter: /^electron(\/.*)?$/ }, (args) => ({
      errors: [
        {
          text: `The CLI imports 'electron' (from ${relative(root, args.importer)}); the core and the CLI must run under plain Node.`,
        },
      ],
    }));
  },
};

/**
 * JSON (the ISPDB snapshot) as a JSON.parse call instead of an object literal: V8 parses JSON text
 * several times faster than the same data as JavaScript, and the literal was the largest single
 * cost of compiling the bundle at start-up.
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return {
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`,
        loader: 'js',
      };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: ['electron/cli/cli-main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'cjs',
  external: EXTERNAL,
  // import() of the externals as require(): bin/code-cache.mjs runs the bundle as a vm.Script,
  // which has no ES module loader of its own (keytar and mailparser both load as CommonJS).
  supported: { 'dynamic-import': false },
  plugins: [refuseElectron, jsonAsParse],
  // Names stay readable in stack traces; whitespace and syntax minification halve what V8 scans.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
  metafile: true,
});

await mkdir(dirname(outFile), { recursive: true });
// Write beside and rename: a CLI started while the build runs sees the old bundle or the new one,
// never half of one (tests and other shells may run it at the same moment).
const temp = `${outFile}.${process.pid}.tmp`;
try {
  await writeFile(temp, result.outputFiles[0].contents);
  await rename(temp, outFile);
} finally {
  await rm(temp, { force: true });
}
await writeFile(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));

// Warm the code cache bin/mailroom.mjs starts from: load the CLI and its core (what every command
// but --help runs) and the core's modules loaded on first use, then keep the compiled code. Made by
// this Node; another Node makes its own on its first run.
// A warm-up that fails costs only speed (the first run then makes the cache), never the build.
try {
  const cli = loadWithCodeCache(outFile, await readFile(outFile, 'utf8'));
  await cli.exports.loadCliCodeForCache();
  cli.saveCache();
} catch (error) {
  process.stderr.write(
    `build-cli: the code cache was not made (${error.message}); the first run makes it.\n`,
  );
}
