import { statSync } from 'node:fs';

/**
 * The version of a file as the file system tells it (inode, size, change times), or undefined when it
 * cannot be stat'ed. conf and electron-store write the settings file to a temporary name and rename
 * it, so every write (from this process or another one sharing the profile) gives a new version.
 */
export function fileVersion(path: string): string | undefined {
  try {
    const info = statSync(path);
    return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * Remembers what `read` derived from the settings file until the file changes (e.g. the outbox's
 * account summaries, built per message otherwise). A stat per call is what it costs instead. Where the file cannot be stat'ed (an
 * in-memory store, a profile without a settings file yet), every call reads.
 */
export function cachedWhileUnchanged<T>(path: string, read: () => T): () => T {
  let cached: { version: string; value: T } | undefined;
  return () => {
    // Stat before reading: a write that lands during the read gives a newer version next time.
    const version = fileVersion(path);
    if (version === undefined) return read();
    if (cached?.version === version) return cached.value;
    const value = read();
    cached = { version, value };
    return value;
  };
}
