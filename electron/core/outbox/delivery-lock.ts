import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const LOCK_NAME = 'delivery.lock';
/** `delivery.lock.takeover-<hash of a stale lock's content>`: the right to replace that lock. */
const TAKEOVER_INFIX = '.takeover-';
/** A takeover guard can itself be left stale by a crash mid-takeover; each level needs one more. */
const MAX_TAKEOVER_DEPTH = 6;
const CLAIM_INFIX = '.claim-';
/** A claim's temporary file lives for a few milliseconds; one this old belongs to a killed process. */
const LEFTOVER_CLAIM_MS = 60_000;

/** Who holds a lock file: its pid and when that process started (where the OS tells). */
interface Holder {
  pid: number;
  started?: string | undefined;
}

/**
 * When the process started, in clock ticks since boot (Linux: field 22 of /proc/<pid>/stat). With the
 * pid it names one process for good: a pid reused after the holder died has a different start time.
 * Elsewhere there is no cheap equivalent, and a live pid counts as the holder.
 */
function startTimeOf(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string): Holder | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    // A bare pid: what earlier versions wrote.
    const { pid, started } = (typeof value === 'number' ? { pid: value } : value) as Record<string, unknown>;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, started: typeof started === 'string' ? started : undefined };
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder | undefined): boolean {
  // Unreadable content cannot name a live process; lock files are never written partially (link()).
  if (!holder) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTimeOf(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

async function readRaw(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const guardFor = (path: string, raw: string) =>
  `${path}${TAKEOVER_INFIX}${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;

/** A complete file with `content`, to link() or rename() into place (never seen half-written). */
async function withTempFile<T>(path: string, content: string, use: (temp: string) => Promise<T>): Promise<T> {
  const temp = join(dirname(path), `${basename(path)}${CLAIM_INFIX}${randomUUID()}`);
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    return await use(temp);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Makes `path` hold `content`, or tells that a live process holds it. Creating is a link() of a
 * complete temporary file, which fails if the name exists: of any number of processes, one creates.
 * A stale holder is replaced only by whoever holds the takeover guard named for that exact content
 * (claimed the same way, recursively): while the stale content is in place, ordinary claims fail and
 * every takeover needs that one guard, so re-reading the content and then renaming over it cannot
 * race. Afterwards the stale content never comes back (every claim has its own token), so a late
 * contender holding a guard for it finds different content and backs off.
 */
async function claim(path: string, content: string, depth: number): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const created = await withTempFile(path, content, async (temp) => {
      try {
        await link(temp, path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    });
    if (created) return true;
    const raw = await readRaw(path);
    if (raw === undefined) continue; // released in the meantime: try to create it again
    if (isAlive(parseHolder(raw))) return false;
    if (depth >= MAX_TAKEOVER_DEPTH) return false;
    const guard = guardFor(path, raw);
    if (!(await claim(guard, content, depth + 1))) return false; // someone else is taking it over
    try {
      if ((await readRaw(path)) === raw) {
        await withTempFile(path, content, (temp) => rename(temp, path));
        return true;
      }
    } finally {
      await releaseIfMine(guard, content);
    }
  }
  return false;
}

async function releaseIfMine(path: string, content: string): Promise<void> {
  if ((await readRaw(path).catch(() => undefined)) === content) await rm(path, { force: true });
}

/**
 * What a process killed mid-claim leaves: its temporary file, and a takeover guard naming content
 * that is gone now that we hold the lock (anyone using it re-reads the lock and backs off).
 */
async function removeLeftovers(dir: string, path: string, content: string): Promise<void> {
  const mine = basename(guardFor(path, content));
  for (const name of await readdir(dir).catch(() => [])) {
    const leftover = join(dir, name);
    if (!name.startsWith(`${LOCK_NAME}.`)) continue;
    if (name.includes(CLAIM_INFIX)) {
      const info = await stat(leftover).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > LEFTOVER_CLAIM_MS) await rm(leftover, { force: true });
    } else if (name.startsWith(`${LOCK_NAME}${TAKEOVER_INFIX}`) && name !== mine) {
      const raw = await readRaw(leftover).catch(() => undefined);
      if (raw !== undefined && !isAlive(parseHolder(raw))) await rm(leftover, { force: true });
    }
  }
}

/**
 * Only one process delivers from a profile's outbox at a time (the app, the CLI and the browser host
 * can share a profile); two deliverers would send every message twice. The lock is a file naming the
 * owner (pid, the process's start time where the OS tells it, and a token for this claim), taken over
 * when that process is gone (after a crash or SIGKILL) or its pid now belongs to another process.
 * Exactly one of any number of processes claiming at once wins. Only deliverers take it; others may
 * still enqueue: the owner picks their entries up when it rescans.
 */
export async function acquireDeliveryLock(
  dir: string,
): Promise<{ owned: boolean; release(): Promise<void> }> {
  const path = join(dir, LOCK_NAME);
  const content = JSON.stringify({
    pid: process.pid,
    started: startTimeOf(process.pid),
    token: randomUUID(),
  });
  if (!(await claim(path, content, 0))) return { owned: false, release: async () => undefined };
  await removeLeftovers(dir, path, content);
  return { owned: true, release: () => releaseIfMine(path, content) };
}

/** The pid of the process holding the lock, if a live one does (for "waiting for pid N" messages). */
export async function deliveryLockHolder(dir: string): Promise<number | undefined> {
  const raw = await readRaw(join(dir, LOCK_NAME)).catch(() => undefined);
  const holder = raw === undefined ? undefined : parseHolder(raw);
  return holder && isAlive(holder) ? holder.pid : undefined;
}
