import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// Postfix's queue discipline: write to a temporary name, fsync the file, rename it into place, fsync
// the directory. After a crash or power loss a file either exists under its final name with all its
// bytes, or not at all; a reader never sees half a file.

/** Temporary names start with a dot so a directory scan can tell (and sweep) them. */
export const TEMP_PREFIX = '.tmp-';

export function tempNameFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}-${randomBytes(6).toString('hex')}`);
}

/** fsync a directory so a rename or unlink in it survives a power cut (no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; NTFS journals the rename itself.
    if (!isUnsupported(error)) throw error;
  } finally {
    await handle?.close();
  }
}

function isUnsupported(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES';
}

/** Writes `data` to `path` atomically and durably. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempNameFor(path);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

/**
 * Streams `source` into `path` atomically and durably, without holding it in memory.
 * Returns the number of bytes written.
 */
export async function streamToFileDurably(source: Readable, path: string): Promise<number> {
  const temp = tempNameFor(path);
  const out = createWriteStream(temp, { mode: 0o600 });
  try {
    await pipeline(source, out);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
  return out.bytesWritten;
}

export async function ensureDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}
