import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Listings of outbox folders started before the outbox was opened (see listOutboxEarly), by folder.
 * Listing 10,000 entries (40,000 names) takes 20 to 25 ms, most of it in the thread pool (the
 * kernel, and libuv sorting the names), while a short-lived process that only reads the outbox
 * (`mailroom outbox list`) has nothing else to do but wait for it.
 */
const early = new Map<string, { startedAt: number; names: Promise<string[]> }>();

/** An early listing older than this is not used: the folder is listed again. */
const EARLY_LISTING_MS = 5_000;

/**
 * Starts listing an outbox folder now, for the first load of it in this process to take instead of
 * listing it itself: a host about to load the core only to read the outbox lets the listing run
 * while the core loads. Only for a process that reads without delivering: a deliverer lists after
 * it holds the delivery lock. Using it is like having opened the outbox a moment earlier; a folder
 * that cannot be listed is listed again (and fails) at the load.
 */
export function listOutboxEarly(dir: string): void {
  const names = readdir(dir);
  names.catch(() => undefined);
  early.set(resolve(dir), { startedAt: Date.now(), names });
}

/** The folder's names: the early listing of it (taken once, if recent), else a new listing. */
export async function outboxNames(dir: string): Promise<string[]> {
  const key = resolve(dir);
  const listing = early.get(key);
  early.delete(key);
  if (listing && Date.now() - listing.startedAt <= EARLY_LISTING_MS) {
    try {
      return await listing.names;
    } catch {
      // Gone or unreadable then (a first start creates the folder): listed again below.
    }
  }
  return readdir(dir);
}
