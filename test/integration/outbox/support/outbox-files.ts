import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EntryOnDisk {
  id: string;
  state: string;
  messageId: string;
}

/** The entries as the outbox left them on disk (read by another process, e.g. right after a SIGKILL). */
export function entriesOnDisk(dir: string): EntryOnDisk[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as EntryOnDisk);
}
