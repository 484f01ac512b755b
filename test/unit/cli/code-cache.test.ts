import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// bin/code-cache.mjs runs the CLI bundle through a V8 code cache kept beside it. V8 itself checks
// only the source's length, so the cache must never outlive the file it was made from.

const dir = mkdtempSync(join(tmpdir(), 'mailroom-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODE_CACHE = resolve(__dirname, '../../../bin/code-cache.mjs');

/**
 * Loads `file` in a fresh Node, as bin/mailroom.mjs does, and saves the cache after the run if V8 did
 * not take it (a fresh process each time: within one, V8's own in-memory cache would answer).
 */
function load(file: string): { exports: unknown; cacheUsed: boolean } {
  const script = `
    const { readFileSync } = require('node:fs');
    import(process.argv[1]).then(({ loadWithCodeCache }) => {
      const loaded = loadWithCodeCache(process.argv[2], readFileSync(process.argv[2], 'utf8'));
      if (!loaded.cacheUsed) loaded.saveCache();
      process.stdout.write(JSON.stringify({ exports: loaded.exports, cacheUsed: loaded.cacheUsed }));
    });`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, CODE_CACHE, file], { encoding: 'utf8' }),
  ) as {
    exports: unknown;
    cacheUsed: boolean;
  };
}

describe('loadWithCodeCache', () => {
  it('runs a CommonJS file, keeps a cache after the run, and starts from it next time', () => {
    const file = join(dir, 'plain.cjs');
    writeFileSync(file, "const { join } = require('node:path'); module.exports = join('a', 'b');");
    const first = load(file);
    expect(first.exports).toBe(join('a', 'b'));
    expect(first.cacheUsed).toBe(false);
    expect(existsSync(`${file}.v8-cache`)).toBe(true);
    const second = load(file);
    expect(second.exports).toBe(join('a', 'b'));
    expect(second.cacheUsed).toBe(true);
  });

  it('never runs the old code of a rebuilt file of the same length', () => {
    const file = join(dir, 'rebuilt.cjs');
    writeFileSync(file, "module.exports = 'old';");
    expect(load(file).exports).toBe('old');
    expect(load(file).cacheUsed).toBe(true);
    // The rebuild: same length, other code, a later mtime (as a new build always has).
    writeFileSync(file, "module.exports = 'new';");
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const rebuilt = load(file);
    expect(rebuilt.exports).toBe('new');
    expect(rebuilt.cacheUsed).toBe(false);
    // ...and the cache it left is the new code's.
    expect(load(file)).toEqual({ exports: 'new', cacheUsed: true });
  });

  it('ignores a damaged cache and runs the file', () => {
    const file = join(dir, 'damaged.cjs');
    writeFileSync(file, 'module.exports = 42;');
    load(file);
    const cache = readFileSync(`${file}.v8-cache`);
    writeFileSync(
      `${file}.v8-cache`,
      Buffer.concat([cache.subarray(0, cache.indexOf(10) + 1), Buffer.from('garbage')]),
    );
    const run = load(file);
    expect(run.exports).toBe(42);
    expect(run.cacheUsed).toBe(false);
  });
});
