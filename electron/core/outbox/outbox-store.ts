import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ComposeFieldsSchema, OutboxEntrySchema } from '../../../shared/domain/outbox';
import { ensureDirectory, syncDirectory, TEMP_PREFIX, writeFileDurably } from '../files/durable-files';

/** One entry as written to <id>.json next to its message file <id>.eml. */
export const StoredEntrySchema = OutboxEntrySchema.omit({ bytesSent: true }).extend({
  version: z.literal(1),
  identityId: z.string().optional(),
  envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
  /** The fields as the user typed them, for edit and undo. */
  draft: ComposeFieldsSchema,
  /** Start of the current delivery effort: the queue lifetime counts from here. */
  queuedSince: z.string(),
});
export type StoredEntry = z.infer<typeof StoredEntrySchema>;

/** Leftovers of an interrupted write are swept only when this old, so a live writer is never raced. */
const STALE_LEFTOVER_MS = 10 * 60_000;

const ID_PATTERN = /^[0-9a-f-]{36}$/;

/**
 * The outbox directory: <id>.json (the entry) and <id>.eml (the RFC 5322 message). Every write is
 * atomic and durable (see durable-files.ts). The message file is written before its entry, so an
 * entry never points at a missing or partial message; an .eml without an entry is an enqueue that
 * crashed before it was acknowledged, and is swept.
 */
export class OutboxStore {
  constructor(readonly dir: string) {}

  entryPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  messagePath(id: string): string {
    return join(this.dir, `${id}.eml`);
  }

  async ensure(): Promise<void> {
    await ensureDirectory(this.dir);
  }

  async write(entry: StoredEntry): Promise<void> {
    await writeFileDurably(this.entryPath(entry.id), `${JSON.stringify(entry, null, 2)}\n`);
  }

  async read(id: string): Promise<StoredEntry | undefined> {
    try {
      return StoredEntrySchema.parse(JSON.parse(await readFile(this.entryPath(id), 'utf8')));
    } catch {
      return undefined;
    }
  }

  /**
   * Every entry on disk. An entry that cannot be parsed is renamed to .corrupt (kept for a human to
   * look at, never deleted) and reported through `onProblem`.
   */
  async loadAll(onProblem: (message: string) => void, known?: ReadonlySet<string>): Promise<StoredEntry[]> {
    const names = await readdir(this.dir);
    const entries: StoredEntry[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const id = name.slice(0, -'.json'.length);
      if (!ID_PATTERN.test(id) || known?.has(id)) continue;
      const entry = await this.read(id);
      if (entry && entry.id === id) {
        entries.push(entry);
      } else {
        onProblem(`outbox: entry ${name} could not be read; kept as ${name}.corrupt`);
        await rename(this.entryPath(id), `${this.entryPath(id)}.corrupt`).catch(() => undefined);
      }
    }
    return entries;
  }

  /** Removes temporary files and orphaned message files left by a crash (only old ones). */
  async sweep(now: number): Promise<void> {
    const names = await readdir(this.dir);
    const present = new Set(names);
    for (const name of names) {
      const orphan = name.endsWith('.eml') && !present.has(`${name.slice(0, -'.eml'.length)}.json`);
      if (!name.startsWith(TEMP_PREFIX) && !orphan) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_LEFTOVER_MS) await rm(path, { force: true });
    }
  }

  async removeMessage(id: string): Promise<void> {
    await rm(this.messagePath(id), { force: true });
    await syncDirectory(this.dir);
  }

  /** Entry first: a crash in between leaves an orphaned .eml, which the sweep removes. */
  async remove(id: string): Promise<void> {
    await rm(this.entryPath(id), { force: true });
    await rm(this.messagePath(id), { force: true });
    await syncDirectory(this.dir);
  }
}
