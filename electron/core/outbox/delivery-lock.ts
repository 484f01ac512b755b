import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempNameFor } from '../files/durable-files';

const LOCK_NAME = 'delivery.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Only one process delivers from a profile's outbox at a time (the app, the CLI and the browser host
 * can share a profile); two deliverers would send every message twice. The lock is a file holding the
 * owner's pid, taken over when that process is gone (after a crash or SIGKILL). Other processes may
 * still enqueue: the owner picks their entries up when it rescans.
 */
export async function acquireDeliveryLock(
  dir: string,
): Promise<{ owned: boolean; release(): Promise<void> }> {
  const path = join(dir, LOCK_NAME);
  const mine = String(process.pid);
  const owned = {
    owned: true,
    release: async () => {
      if ((await holder(path)) === process.pid) await rm(path, { force: true });
    },
  };
  try {
    await writeFile(path, mine, { flag: 'wx', mode: 0o600 });
    return owned;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const current = await holder(path);
  if (current !== undefined && current !== process.pid && isAlive(current)) {
    return { owned: false, release: async () => undefined };
  }
  // Stale (its process is gone): take it over with a rename, then check we are the one who won.
  const temp = tempNameFor(path);
  await writeFile(temp, mine, { mode: 0o600 });
  await rename(temp, path);
  return (await holder(path)) === process.pid ? owned : { owned: false, release: async () => undefined };
}
