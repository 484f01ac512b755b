// Loads the CLI bundle like require() would, through a V8 code cache kept beside it.
//
// Why by hand: V8 compiles almost every function of a bundle lazily, on its first call, and that
// compiling was most of what remained of the CLI's start-up once it was prebuilt. A cache made
// right after compiling (as the v8-compile-cache package does) holds only the top-level code; one
// made after the code has run holds every function that ran. Node 22's module.enableCompileCache()
// would cover this, but Mailroom supports Node 20, which has none.
import Module, { createRequire } from 'node:module';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * What a cache belongs to. V8 checks its own version and flags, but of the source only its length:
 * a rebuilt bundle of the same length would run the old code. A rebuild always writes a new file
 * (new mtime), so the bundle's size and mtime, with the Node build, name the cache's source.
 */
function cacheKey(file) {
  const { size, mtimeMs } = statSync(file);
  return `${process.version} ${process.arch} ${size} ${mtimeMs}\n`;
}

function readCache(cacheFile, key) {
  let data;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = Buffer.from(key);
  return data.subarray(0, header.length).equals(header) ? data.subarray(header.length) : undefined;
}

/**
 * @param {string} file the CommonJS bundle
 * @param {string} source its text
 * @returns {{ exports: any, cacheUsed: boolean, saveCache(): void }}
 */
export function loadWithCodeCache(file, source) {
  const cacheFile = `${file}.v8-cache`;
  const key = cacheKey(file);
  const cachedData = readCache(cacheFile, key);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = new Module(file);
  module.filename = file;
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    cacheUsed,
    /** Writes the cache with every function compiled so far; best effort (a read-only install keeps none). */
    saveCache() {
      // Beside and renamed: another mailroom starting now reads the old cache or the new, never half.
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, Buffer.concat([Buffer.from(key), script.createCachedData()]));
        renameSync(temp, cacheFile);
      } catch {
        rmSync(temp, { force: true });
      }
    },
  };
}
