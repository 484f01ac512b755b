import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import {
  DraftContentSchema,
  DraftIdSchema,
  DraftSchema,
  type Draft,
  type DraftAttachment,
  type DraftContentInput,
  type DraftSummary,
} from '../../../shared/domain/drafts';
import { fail, ok, type Result } from '../../../shared/result';
import { TurnsByKey } from '../turns';
import {
  ensureDirectory,
  isWriterAlive,
  TEMP_PREFIX,
  tempWriterPid,
  writeFileDurably,
} from '../files/durable-files';

function writerAlive(tempName: string): boolean {
  const pid = tempWriterPid(tempName);
  return pid !== undefined && isWriterAlive(pid);
}

/**
 * Drafts as one JSON file each in <profile>/drafts/, replaced atomically on every save, so a crash
 * leaves the last saved version intact. Writes to one draft are serialised (autosave and an attachment
 * added at the same moment must not overwrite each other).
 */
const UNTOUCHED_DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

export class DraftStore {
  private readonly dir: string;
  /** Read-modify-writes of one draft: each after the previous one for the same draft has finished. */
  private readonly writes = new TurnsByKey();

  constructor(profileDir: string) {
    this.dir = join(profileDir, 'drafts');
  }

  private file(id: string): string {
    // The schema allows only [a-z0-9-], so an id can never leave the drafts directory.
    return join(this.dir, `${DraftIdSchema.parse(id)}.json`);
  }

  private async read(id: string): Promise<Result<Draft>> {
    if (!DraftIdSchema.safeParse(id).success) return notFound(id);
    let raw: string;
    try {
      raw = await readFile(this.file(id), 'utf8');
    } catch {
      return notFound(id);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const draft = DraftSchema.safeParse(parsed);
    if (!draft.success) {
      return fail({
        code: 'DRAFT_CORRUPT',
        message: 'This draft’s file could not be read.',
        hint: `The file ${this.file(id)} is damaged. Discard the draft, or restore the file from a backup.`,
      });
    }
    return ok(draft.data);
  }

  private async write(draft: Draft): Promise<void> {
    await ensureDirectory(this.dir);
    await writeFileDurably(this.file(draft.id), JSON.stringify(draft));
  }

  async create(content: DraftContentInput = {}): Promise<Draft> {
    const now = new Date().toISOString();
    const draft: Draft = {
      ...DraftContentSchema.parse(content),
      id: randomUUID(),
      attachments: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.write(draft);
    return draft;
  }

  /** The draft with each attachment checked again: a file moved since is shown as missing. */
  async get(id: string): Promise<Result<Draft>> {
    const draft = await this.read(id);
    if (!draft.ok) return draft;
    const attachments = await Promise.all(
      draft.value.attachments.map(async (a) => {
        const info = await statFile(a.path);
        return info ? { ...a, size: info.size, present: true } : { ...a, present: false };
      }),
    );
    return ok({ ...draft.value, attachments });
  }

  save(id: string, content: DraftContentInput): Promise<Result<{ updatedAt: string }>> {
    return this.writes.run(id, async () => {
      const current = await this.read(id);
      if (!current.ok) return current;
      // Never equal to createdAt, which is how an untouched draft is told (even a save in the same
      // millisecond as the create counts as an edit).
      const updatedAt = new Date(Math.max(Date.now(), Date.parse(current.value.createdAt) + 1)).toISOString();
      await this.write({ ...current.value, ...DraftContentSchema.parse(content), updatedAt });
      return ok({ updatedAt });
    });
  }

  async list(): Promise<DraftSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const drafts: DraftSummary[] = [];
    for (const name of names) {
      // A temp file is what a save interrupted by a crash leaves; the draft itself is intact. One
      // whose writer is alive is a save in progress (listing while a draft is saved): leave it.
      if (name.startsWith(TEMP_PREFIX) && !writerAlive(name)) await rm(join(this.dir, name), { force: true });
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const draft = await this.read(name.slice(0, -'.json'.length));
      if (!draft.ok) continue;
      const d = draft.value;
      // Never saved after it was created: a "New message" opened and closed untouched. Not worth
      // listing; cleared away once it is a day old (it may still be open in a window now).
      if (d.updatedAt === d.createdAt) {
        if (Date.now() - Date.parse(d.createdAt) > UNTOUCHED_DRAFT_TTL_MS) await this.discard(d.id);
        continue;
      }
      drafts.push({
        id: d.id,
        subject: d.subject,
        to: [...d.to, ...d.cc].map((r) => r.name || r.address),
        attachmentCount: d.attachments.length,
        updatedAt: d.updatedAt,
      });
    }
    return drafts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  discard(id: string): Promise<Result<Record<string, never>>> {
    return this.writes.run(id, async () => {
      if (!DraftIdSchema.safeParse(id).success) return notFound(id);
      await rm(this.file(id), { force: true });
      return ok({});
    });
  }

  addAttachments(id: string, paths: string[]): Promise<Result<{ attachments: DraftAttachment[] }>> {
    return this.writes.run(id, async () => {
      const current = await this.read(id);
      if (!current.ok) return current;
      const added: DraftAttachment[] = [];
      for (const path of paths) {
        const info = isAbsolute(path) ? await statFile(path) : undefined;
        if (!info) {
          return fail({
            code: 'FILE_NOT_FOUND',
            message: `“${basename(path)}” could not be attached: it is not a file Mailroom can read.`,
            hint: 'Check that the file still exists and is not a folder, then attach it again.',
          });
        }
        added.push({ id: randomUUID(), path, name: basename(path), size: info.size, present: true });
      }
      const attachments = [...current.value.attachments, ...added];
      await this.write({ ...current.value, attachments, updatedAt: new Date().toISOString() });
      return ok({ attachments });
    });
  }

  removeAttachment(id: string, attachmentId: string): Promise<Result<{ attachments: DraftAttachment[] }>> {
    return this.writes.run(id, async () => {
      const current = await this.read(id);
      if (!current.ok) return current;
      const attachments = current.value.attachments.filter((a) => a.id !== attachmentId);
      await this.write({ ...current.value, attachments, updatedAt: new Date().toISOString() });
      return ok({ attachments });
    });
  }
}

async function statFile(path: string): Promise<{ size: number } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function notFound<T>(id: string): Result<T> {
  return fail({
    code: 'DRAFT_NOT_FOUND',
    message: `The draft ${id} no longer exists.`,
    hint: 'It was sent or discarded, perhaps in another window. Start a new message.',
  });
}
