import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TurnsByKey } from '../turns';
import { MergeJobIdSchema, MergeSkippedRowSchema } from '../../../shared/domain/mail-merge';
import {
  ensureDirectory,
  isWriterAlive,
  syncDirectory,
  TEMP_PREFIX,
  tempWriterPid,
  writeFileDurably,
} from '../files/durable-files';

/**
 * A job's manifest, <outbox>/merge/<jobId>.json, next to the list as it was when the job started
 * (<jobId>.csv). It holds everything needed to make the rows again (the template, the fields) and
 * which row became which outbox entry, so an enqueue cut short by a crash is finished at the next
 * start with the same entry ids: no row missing, none queued twice.
 */
export const MergeManifestSchema = z.object({
  version: z.literal(1),
  id: MergeJobIdSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** enqueuing until every row is in the outbox; then what the user made of it. */
  state: z.enum(['enqueuing', 'active', 'paused', 'cancelled']),
  /** The process writing the rows while enqueuing (another one finishes only once it is gone). */
  enqueuer: z.object({ pid: z.number().int() }).optional(),
  fileName: z.string(),
  from: z.string(),
  template: z.object({
    accountId: z.string(),
    identityId: z.string().optional(),
    subject: z.string(),
    mode: z.enum(['rich', 'plain']),
    html: z.string(),
    text: z.string(),
    attachments: z.array(z.object({ path: z.string(), filename: z.string() })),
  }),
  recipientField: z.string(),
  nameField: z.string().optional(),
  /** Each sendable row and the outbox entry it is. */
  rows: z.array(z.object({ row: z.number().int(), entryId: z.string() })),
  skipped: z.array(MergeSkippedRowSchema),
  /** The draft the job was made from, discarded once every row is queued. */
  draftId: z.string().optional(),
  /** The pace a "too many messages" reply left (times in ms since the epoch). */
  throttle: z
    .object({ perMinute: z.number(), until: z.number(), reply: z.string(), strikes: z.number().int() })
    .optional(),
});
export type MergeManifest = z.infer<typeof MergeManifestSchema>;

/** The outbox entry id of a job's row: the same on every try, shaped like the outbox's own ids. */
export function entryIdFor(jobId: string, row: number): string {
  const hex = createHash('sha256').update(`${jobId}\n${row}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The manifests of a profile's merge jobs, in memory and on disk (every write atomic and durable). */
export class MergeJobs {
  private readonly byId = new Map<string, { manifest: MergeManifest; mtimeMs: number }>();

  constructor(readonly dir: string) {}

  manifestPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  csvPath(id: string): string {
    return join(this.dir, `${id}.csv`);
  }

  get(id: string): MergeManifest | undefined {
    return this.byId.get(id)?.manifest;
  }

  all(): MergeManifest[] {
    return [...this.byId.values()]
      .map((j) => j.manifest)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async writeCsv(id: string, text: string): Promise<void> {
    await ensureDirectory(this.dir);
    await writeFileDurably(this.csvPath(id), text);
  }

  readCsv(id: string): Promise<string> {
    return readFile(this.csvPath(id), 'utf8');
  }

  /** The change of each job's manifest being written: changes to one manifest take turns. */
  private readonly turns = new TurnsByKey();

  /**
   * Changes a job's manifest. `change` is given the manifest as the change before it left it (changes
   * take turns, and each is applied to the latest), so one made while another is being written (a
   * Cancel while a "slow down" is recorded) is never undone by it. It returns the next manifest, or
   * undefined to leave it as it is; resolves with the manifest as it then stands.
   */
  update(
    id: string,
    change: (current: MergeManifest | undefined) => MergeManifest | undefined,
  ): Promise<MergeManifest | undefined> {
    return this.turns.run(id, async () => {
      const current = this.get(id);
      const next = change(current);
      return next ? this.writeNow(next) : current;
    });
  }

  /** Writes a whole manifest (a new job's), in its turn with the job's other changes. */
  async write(manifest: MergeManifest): Promise<MergeManifest> {
    return (await this.update(manifest.id, () => manifest))!;
  }

  private async writeNow(manifest: MergeManifest): Promise<MergeManifest> {
    const next = { ...manifest, updatedAt: new Date().toISOString() };
    await ensureDirectory(this.dir);
    await writeFileDurably(this.manifestPath(next.id), `${JSON.stringify(next)}\n`);
    const info = await stat(this.manifestPath(next.id)).catch(() => undefined);
    this.byId.set(next.id, { manifest: next, mtimeMs: info?.mtimeMs ?? 0 });
    return next;
  }

  async remove(id: string): Promise<void> {
    await rm(this.manifestPath(id), { force: true });
    await rm(this.csvPath(id), { force: true });
    await syncDirectory(this.dir).catch(() => undefined);
    this.byId.delete(id);
  }

  /**
   * Reads what changed on disk since last time (another process started, paused or cancelled a
   * job). Returns the ids whose manifest changed. A manifest that cannot be read is left alone.
   */
  async refresh(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const changed: string[] = [];
    const present = new Set<string>();
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) {
        // A dead writer's temporary file; a live one's (ours included) is a write in progress.
        const pid = tempWriterPid(name);
        if (pid !== undefined && pid !== process.pid && !isWriterAlive(pid))
          await rm(join(this.dir, name), { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      if (!MergeJobIdSchema.safeParse(id).success) continue;
      present.add(id);
      const info = await stat(this.manifestPath(id)).catch(() => undefined);
      if (!info) continue;
      const known = this.byId.get(id);
      if (known && known.mtimeMs === info.mtimeMs) continue;
      try {
        const manifest = MergeManifestSchema.parse(JSON.parse(await readFile(this.manifestPath(id), 'utf8')));
        if (manifest.id !== id) continue;
        this.byId.set(id, { manifest, mtimeMs: info.mtimeMs });
        changed.push(id);
      } catch {
        // Half-visible or hand-edited: tried again at the next refresh.
      }
    }
    for (const id of [...this.byId.keys()]) {
      if (!present.has(id)) {
        this.byId.delete(id);
        changed.push(id);
      }
    }
    return changed;
  }
}
