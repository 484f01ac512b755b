import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { join, sep } from 'node:path';
import { z } from 'zod';
import { DraftContentSchema } from '../../../shared/domain/drafts';
import { ComposeFieldsSchema, OutboxEntrySchema } from '../../../shared/domain/outbox';
import {
  ensureDirectory,
  isWriterAlive,
  syncDirectory,
  TEMP_PREFIX,
  tempWriterPid,
  writeFileDurably,
} from '../files/durable-files';
import { recoveredEntry, type EnvelopeRecord, type RecoveryReason } from './outbox-recovery';
import {
  envelopeOf,
  envelopeTextsFile,
  textsOf,
  textsOfDraftFile,
  type TextsRecord,
} from './envelope-texts-record';
import { unchangedCheck, type UnchangedCheck } from './unchanged-check';
import { outboxNames } from './outbox-listing';

/** One entry as written to <id>.json next to its message file <id>.eml. */
export const StoredEntrySchema = OutboxEntrySchema.omit({ bytesSent: true }).extend({
  version: z.literal(1),
  identityId: z.string().optional(),
  envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
  /** The fields as sent (the outbox's own record, with attachment paths). */
  draft: ComposeFieldsSchema,
  /** The draft as the user typed it, for Undo and Edit; absent in entries from before it was kept. */
  typed: DraftContentSchema.optional(),
  /** Start of the current delivery effort: the queue lifetime counts from here. */
  queuedSince: z.string(),
  /** SHA-256 of the message file as written (hex); absent in entries from before it was recorded. */
  sha256: z.string().optional(),
  /**
   * The texts (draft.text, draft.html, typed) are in <id>.envelope-texts (or, written by earlier
   * versions, <id>.draft), not here: in memory and in this file, draft.text is '' and typed is
   * absent (see OutboxStore.add). Absent in older entries, which carry them inline.
   */
  draftFile: z.literal(true).optional(),
});
export type StoredEntry = z.infer<typeof StoredEntrySchema>;

/**
 * The entry as kept in memory and in <id>.json: its texts (as sent and as typed) are written once
 * with it, in <id>.envelope-texts beside the envelope record (see envelope-texts-record.ts), because
 * they are most of its size (the body, twice) and the entry is rewritten at every state change and
 * read by every listing.
 */
function withoutTexts(entry: StoredEntry): StoredEntry {
  const { typed: _typed, ...rest } = entry;
  const { html: _html, ...fields } = entry.draft;
  return { ...rest, draft: { ...fields, text: '' }, draftFile: true };
}

/**
 * A file of an enqueue that may still be running in another process (a message file without its
 * entry yet, an envelope record without its message) is left alone until this old: a live writer is
 * never raced. Temporary files name their writer's pid, so a dead writer's are swept at once.
 */
const STALE_LEFTOVER_MS = 10 * 60_000;

/** Records written with an entry, the older two first written by earlier versions. */
const RECORD_SUFFIXES = ['.envelope-texts', '.envelope', '.draft'];

const ID_PATTERN = /^[0-9a-f-]{36}$/;
const ID_LENGTH = 36;
/** The files loading looks at, by how much longer than an id their name is. */
const ENTRY_KINDS: Partial<Record<number, '.json' | '.eml' | '.json.corrupt'>> = {
  [5]: '.json',
  [4]: '.eml',
  [13]: '.json.corrupt',
};

/**
 * Entry files read in one go when loading, between turns of the event loop. A read of a small file
 * through the thread pool costs several times the read itself (open, stat, read, close, each a
 * round trip), so a large outbox is read synchronously, in batches short enough (a millisecond or
 * two) that the process stays responsive.
 */
const READ_BATCH = 200;

/** Made on first load (see unchangedCheck); undefined if the schema ever holds a part it cannot read. */
let entryUnchanged: UnchangedCheck | undefined | null = null;

/**
 * Reused for every entry file read while loading (see readEntryText); grown when an entry is larger.
 * Entries are about 1.5 KB, so 64 KB holds any but one with an enormous error text.
 */
let readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * An entry file's text, read as open, one read, close. readFileSync reads once more to see the end
 * of the file, and goes through its option and path handling for each of thousands of small files;
 * this is a sixth of the time of reading them. A read that returns less than it was asked for is the
 * end of a regular file; should one ever stop short anyway, the text does not parse and the caller
 * reads the file again with readFileSync before deciding it is damaged (see loadAll).
 */
function readEntryText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      const read = readSync(fd, readBuffer, length, readBuffer.length - length, null);
      length += read;
      if (length < readBuffer.length || read === 0) break;
      const larger = Buffer.allocUnsafe(readBuffer.length * 2);
      readBuffer.copy(larger, 0, 0, length);
      readBuffer = larger;
    }
    return readBuffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** A small file's text; '' when it is missing or unreadable (its parse then finds nothing). */
async function textOf(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

function parseEntry(text: string, id: string): StoredEntry | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (entryUnchanged === null) entryUnchanged = unchangedCheck(StoredEntrySchema);
    // An entry as Mailroom writes it is valid as it stands; anything else (older, damaged, with
    // defaults to fill or keys to drop) is parsed by the schema, which decides.
    const entry = entryUnchanged?.(value) ? (value as StoredEntry) : StoredEntrySchema.parse(value);
    return entry.id === id ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The outbox directory: <id>.json (the entry) and <id>.eml (the RFC 5322 message). Every write is
 * atomic and durable (see durable-files.ts). The message file is written before its entry, so an
 * entry never points at a missing or partial message; an .eml without an entry is never deleted
 * unasked (see loadAll).
 */
export class OutboxStore {
  /**
   * The directory, normalised, with a separator: loading puts a plain file name after it, since
   * join's normalising of each of 10,000 paths cost a tenth of loading them.
   */
  private readonly prefix: string;

  constructor(readonly dir: string) {
    this.prefix = join(dir, sep);
  }

  entryPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  messagePath(id: string): string {
    return join(this.dir, `${id}.eml`);
  }

  /** The envelope record and the texts: one file, written with the entry (envelope-texts-record.ts). */
  envelopeTextsPath(id: string): string {
    return join(this.dir, `${id}.envelope-texts`);
  }

  /** Where earlier versions kept the envelope record: still read, and removed with its entry. */
  private olderEnvelopePath(id: string): string {
    return join(this.dir, `${id}.envelope`);
  }

  /** Where earlier versions kept the texts: still read, and removed with its entry. */
  private olderDraftPath(id: string): string {
    return join(this.dir, `${id}.draft`);
  }

  /** The file an entry's texts are read from, to name it when they cannot be read. */
  textsFileName(id: string): string {
    // An entry queued by an earlier version has <id>.envelope and <id>.draft, never the combined file.
    const older =
      !existsSync(this.envelopeTextsPath(id)) &&
      (existsSync(this.olderDraftPath(id)) || existsSync(this.olderEnvelopePath(id)));
    return older ? `${id}.draft` : `${id}.envelope-texts`;
  }

  /**
   * The entry with its texts (draft.text, draft.html, typed) from <id>.envelope-texts, or from
   * <id>.draft in an outbox written by an earlier version, for Undo, Edit and Resend; an entry that
   * carries them inline is returned as it is. Undefined when they are missing or damaged.
   */
  async withTexts(entry: StoredEntry): Promise<StoredEntry | undefined> {
    if (!entry.draftFile) return entry;
    const record =
      textsOf(await textOf(this.envelopeTextsPath(entry.id)), entry.id) ??
      textsOfDraftFile(await textOf(this.olderDraftPath(entry.id)), entry.id);
    if (!record) return undefined;
    return { ...entry, draft: record.draft, ...(record.typed ? { typed: record.typed } : {}) };
  }

  /** The envelope record a damaged entry is rebuilt from (see outbox-recovery.ts), if readable. */
  private async readEnvelope(id: string): Promise<EnvelopeRecord | undefined> {
    return (
      envelopeOf(await textOf(this.envelopeTextsPath(id)), id) ??
      envelopeOf(await textOf(this.olderEnvelopePath(id)), id)
    );
  }

  async ensure(): Promise<void> {
    await ensureDirectory(this.dir);
  }

  async write(entry: StoredEntry): Promise<void> {
    const stored = entry.draftFile ? withoutTexts(entry) : entry;
    await writeFileDurably(this.entryPath(entry.id), `${JSON.stringify(stored, null, 2)}\n`);
  }

  /**
   * Stores a new entry (its message file is already on disk) with its envelope record and its texts
   * (one file, <id>.envelope-texts). If either write fails, nothing of it is left, so an entry that
   * was not acknowledged never comes back. Returns the entry as kept from now on: its texts only in
   * <id>.envelope-texts.
   */
  async add(full: StoredEntry): Promise<StoredEntry> {
    const entry = withoutTexts(full);
    const texts: TextsRecord = {
      version: 1,
      id: entry.id,
      draft: full.draft,
      ...(full.typed ? { typed: full.typed } : {}),
    };
    const record: EnvelopeRecord = {
      version: 1,
      id: entry.id,
      accountId: entry.accountId,
      ...(entry.identityId ? { identityId: entry.identityId } : {}),
      messageId: entry.messageId,
      from: entry.from,
      to: entry.to,
      cc: entry.cc,
      bcc: entry.bcc,
      subject: entry.subject,
      envelope: entry.envelope,
      createdAt: entry.createdAt,
    };
    const writes = await Promise.allSettled([
      writeFileDurably(this.envelopeTextsPath(entry.id), envelopeTextsFile(record, texts)),
      this.write(entry),
    ]);
    const failed = writes.find((w) => w.status === 'rejected');
    if (failed) {
      await this.remove(entry.id).catch(() => undefined);
      throw failed.reason;
    }
    return entry;
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
   * look at, never deleted) and reported through `onProblem`. A message file without a usable entry
   * (its entry damaged, or an enqueue that stopped before writing it, once older than a live writer
   * could be) is never dropped: it comes back as a 'failed' entry that says why, held in memory until
   * the user retries or removes it (which writes or deletes it), so every process lists it alike.
   */
  async loadAll(onProblem: (message: string) => void, known?: ReadonlySet<string>): Promise<StoredEntry[]> {
    // A full load may take a listing started before the outbox was opened (outbox-listing.ts).
    const names = known ? await readdir(this.dir) : await outboxNames(this.dir);
    // One pass over the names (four per entry) sorting out which ids have an entry, a message file
    // or a damaged entry kept aside: a set of every name and a second pass building and looking up
    // names cost a fifth of loading 10,000 entries. Every id is ID_LENGTH long, so a name's length
    // says which kind it can be before any string is compared.
    const entryIds: string[] = [];
    const messageIds = new Set<string>();
    const corruptIds = new Set<string>();
    for (const name of names) {
      const kind = ENTRY_KINDS[name.length - ID_LENGTH];
      if (kind === undefined || !name.endsWith(kind)) continue;
      const id = name.slice(0, ID_LENGTH);
      if (!ID_PATTERN.test(id) || known?.has(id)) continue;
      if (kind === '.json') entryIds.push(id);
      else if (kind === '.eml') messageIds.add(id);
      else corruptIds.add(id);
    }
    const entries: StoredEntry[] = [];
    const orphans = new Map<string, RecoveryReason>();
    const listed = new Set<string>(entryIds);
    const unreadable: string[] = [];
    // Entries are read in directory order, in batches (see READ_BATCH).
    for (let i = 0; i < entryIds.length; i++) {
      const id = entryIds[i]!;
      const path = `${this.prefix}${id}.json`;
      let entry: StoredEntry | undefined;
      try {
        entry = parseEntry(readEntryText(path), id);
        // Damaged, or (never seen, but not ruled out) a read that stopped short: read it again
        // the ordinary way before it counts as damaged.
        if (entry === undefined) entry = parseEntry(readFileSync(path, 'utf8'), id);
      } catch (error) {
        // Removed by its owner since the listing (its message file goes first): nothing to load
        // and nothing wrong. Anything else (unreadable) is handled as unreadable.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(this.messagePath(id))) continue;
      }
      if (entry) entries.push(entry);
      else unreadable.push(id);
      if ((i + 1) % READ_BATCH === 0) await nextTurn();
    }
    for (const id of unreadable) {
      onProblem(`outbox: entry ${id}.json could not be read; kept as ${id}.json.corrupt`);
      await rename(this.entryPath(id), `${this.entryPath(id)}.corrupt`).catch(() => undefined);
      if (messageIds.has(id)) orphans.set(id, 'entry-damaged');
    }
    for (const id of messageIds) {
      if (listed.has(id)) continue;
      if (corruptIds.has(id)) orphans.set(id, 'entry-damaged');
      else if (await this.idleSince(this.messagePath(id), Date.now())) orphans.set(id, 'entry-missing');
    }
    for (const [id, reason] of orphans) {
      try {
        entries.push(
          await recoveredEntry(id, this.messagePath(id), await this.readEnvelope(id), reason, Date.now()),
        );
        onProblem(`outbox: message ${id}.eml had no usable entry (${reason}); listed as needing attention`);
      } catch (error) {
        onProblem(`outbox: message ${id}.eml could not be read back: ${String(error)}; left in place`);
      }
    }
    return entries;
  }

  /**
   * Removes what interrupted writes left: temporary files of writers that are gone (or that nobody
   * has touched for STALE_LEFTOVER_MS), and envelope and text records (.envelope-texts, and the
   * older .envelope and .draft) whose message never arrived. Message files are never removed here
   * (see loadAll). Only the delivery lock holder calls this.
   */
  async sweep(now: number): Promise<void> {
    const names = await readdir(this.dir);
    const present = new Set(names);
    for (const name of names) {
      const path = join(this.dir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        const pid = tempWriterPid(name);
        // Our own temporary files belong to writes still running in this process.
        const gone = pid !== undefined && pid !== process.pid && !isWriterAlive(pid);
        if (gone || (await this.idleSince(path, now))) await rm(path, { force: true });
        continue;
      }
      const record = RECORD_SUFFIXES.find((suffix) => name.endsWith(suffix));
      if (record) {
        const id = name.slice(0, -record.length);
        const orphan = !present.has(`${id}.eml`) && !present.has(`${id}.json`);
        if (orphan && (await this.idleSince(path, now))) await rm(path, { force: true });
      }
    }
  }

  private async idleSince(path: string, now: number): Promise<boolean> {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && now - info.mtimeMs > STALE_LEFTOVER_MS;
  }

  /**
   * A sent entry's message file goes (sent messages not kept); its texts stay for Edit. The envelope
   * record is of no use without the message (an entry is rebuilt from it only for a message file),
   * so an older <id>.envelope goes too; in <id>.envelope-texts it stays with the texts.
   */
  async removeMessage(id: string): Promise<void> {
    await rm(this.messagePath(id), { force: true });
    await rm(this.olderEnvelopePath(id), { force: true });
    await syncDirectory(this.dir);
  }

  /**
   * Message file first: a crash in between leaves an entry without its message (removed again next
   * time), never a message without its entry, which would come back as needing attention.
   */
  async remove(id: string): Promise<void> {
    await rm(this.messagePath(id), { force: true });
    await rm(this.envelopeTextsPath(id), { force: true });
    await rm(this.olderEnvelopePath(id), { force: true });
    await rm(this.olderDraftPath(id), { force: true });
    await rm(this.entryPath(id), { force: true });
    await syncDirectory(this.dir);
  }
}
