import { randomUUID } from 'node:crypto';
import { close, createWriteStream, fsync, open as openFd, rename as renameCb, writeFile } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Turns } from '../turns';

// Postfix's queue discipline: write to a temporary name, fsync the file, rename it into place, fsync
// the directory. After a crash or power loss a file either exists under its final name with all its
// bytes, or not at all; a reader never sees half a file.
//
// Group commit: the directory fsync is what makes a rename survive a power cut, and one fsync of a
// directory covers every rename that finished in it before the fsync started. So writers in the same
// directory share it: a writer whose rename is done joins the next directory fsync, and its promise
// resolves only once an fsync that *started after its rename* has completed. While one fsync runs,
// later writers gather for the next one; an idle directory is synced after one turn of the event
// loop, so a lone writer waits no longer than before. Nothing is skipped: every file is still fsynced
// before its rename, and every rename is covered by a directory fsync before its caller hears "done".

/** Temporary names start with a dot so a directory scan can tell (and sweep) them. */
export const TEMP_PREFIX = '.tmp-';

/**
 * `.tmp-<name>-<pid>-<random>`: the writer's pid lets a sweep at start remove the leftovers of a
 * writer that is gone without waiting, and leave those of a live writer (another process sharing the
 * directory) alone.
 */
export function tempNameFor(path: string): string {
  // randomUUID draws from a cached pool; randomBytes would cost a system call per temporary file.
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}-${process.pid}-${randomUUID().slice(0, 13)}`);
}

/** The pid of the process that made a temporary file (undefined for names without one). */
export function tempWriterPid(name: string): number | undefined {
  const match = /-(\d+)-[0-9a-f]{8}-[0-9a-f]{4}$/.exec(name);
  const pid = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether a process with this pid exists (EPERM: it does, but belongs to someone else). */
export function isWriterAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface DirectoryCommits {
  /** Writers waiting for a directory fsync that has not started yet. */
  next: Waiter[];
  /** An fsync of this directory is running (or about to start). */
  running: boolean;
}

const commits = new Map<string, DirectoryCommits>();
let directorySyncCount = 0;

/** How many directory fsyncs this process has made (tests check that concurrent writers shared them). */
export function directorySyncs(): number {
  return directorySyncCount;
}

/**
 * fsyncs `dir` so every rename or unlink already done in it survives a power cut (no-op where
 * unsupported). Concurrent callers share one fsync (group commit, see above); each resolves only
 * after an fsync that began after its call, and a failed fsync rejects exactly the callers it was for.
 */
export function syncDirectory(dir: string): Promise<void> {
  const key = resolve(dir);
  let state = commits.get(key);
  if (!state) {
    state = { next: [], running: false };
    commits.set(key, state);
  }
  const joined = state;
  const done = new Promise<void>((resolvePromise, reject) =>
    joined.next.push({ resolve: resolvePromise, reject }),
  );
  if (!joined.running) {
    joined.running = true;
    // One turn of the event loop: renames completing in the same poll phase join this fsync.
    setImmediate(() => void flush(key, joined));
  }
  return done;
}

async function flush(key: string, state: DirectoryCommits): Promise<void> {
  while (state.next.length > 0) {
    const batch = state.next;
    state.next = [];
    try {
      await fsyncDirectory(key);
      directorySyncCount++;
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }
  state.running = false;
  if (commits.get(key) === state) commits.delete(key);
}

// The callback API rather than fs/promises for these small, frequent writes: a FileHandle costs an
// object, a promise and extra bookkeeping per step, and a message takes a few dozen such steps.

function fsyncDirectory(dir: string): Promise<void> {
  return new Promise((resolveSync, reject) => {
    openFd(dir, 'r', (openError, fd) => {
      // Windows cannot open or fsync a directory; NTFS journals the rename itself.
      if (openError) return isUnsupported(openError) ? resolveSync() : reject(openError);
      fsync(fd, (syncError) =>
        close(fd, () => (syncError && !isUnsupported(syncError) ? reject(syncError) : resolveSync())),
      );
    });
  });
}

function isUnsupported(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES';
}

/** Writes `data` to `path` atomically and durably. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempNameFor(path);
  try {
    // flush: fsync before the descriptor is closed (and fail if that fails).
    await new Promise<void>((done, reject) =>
      writeFile(temp, data, { mode: 0o600, flush: true }, (error) => (error ? reject(error) : done())),
    );
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await new Promise<void>((done, reject) =>
    renameCb(temp, path, (error) => (error ? reject(error) : done())),
  );
  await syncDirectory(dirname(path));
}

/**
 * Streamed writes (composed messages) that run at once; the others wait their turn, in order. When a
 * caller hands over hundreds of messages at once, all of them composing together would finish
 * together, late (none is queued, so none is sent, until nearly all are written), and would hold a
 * stream's buffers each meanwhile; in turns, the first are on disk, and on their way, at once.
 */
const streamTurns = new Turns(8);

/**
 * Streams `source` into `path` atomically and durably, without holding it in memory.
 * Returns the number of bytes written.
 */
export async function streamToFileDurably(source: Readable, path: string): Promise<number> {
  const done = await streamTurns.take();
  try {
    return await streamInto(source, path);
  } finally {
    done();
  }
}

async function streamInto(source: Readable, path: string): Promise<number> {
  const temp = tempNameFor(path);
  // flush: the stream fsyncs its descriptor before closing it (and fails if that fails), so the
  // bytes are on disk without opening the file a second time just to fsync it.
  const out = createWriteStream(temp, { mode: 0o600, flush: true });
  try {
    await pipeline(source, coalesce(), out);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
  return out.bytesWritten;
}

/** Bytes gathered before one write: MailComposer emits a chunk per 76-character line. */
const WRITE_CHUNK_BYTES = 64 * 1024;

/**
 * Joins small chunks into writes of up to WRITE_CHUNK_BYTES: each write of a file stream is a trip to
 * libuv's thread pool, and a message composed line by line would otherwise make hundreds of them.
 * Holds at most one chunk's worth in memory, so large messages still stream.
 */
function coalesce(): Transform {
  let pending: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer | string, encoding, callback) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      if (size === 0 && bytes.length >= WRITE_CHUNK_BYTES) {
        callback(null, bytes);
        return;
      }
      pending.push(bytes);
      size += bytes.length;
      if (size >= WRITE_CHUNK_BYTES) {
        const joined = Buffer.concat(pending, size);
        pending = [];
        size = 0;
        callback(null, joined);
        return;
      }
      callback();
    },
    flush(callback) {
      callback(null, size > 0 ? Buffer.concat(pending, size) : undefined);
    },
  });
}

export async function ensureDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}
