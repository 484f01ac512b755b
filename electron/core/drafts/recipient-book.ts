import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RecipientSchema, type Recipient } from '../../../shared/domain/drafts';
import { writeFileDurably } from '../files/durable-files';
import { checkEmailAddress } from '../../../shared/domain/email-address';

const EntrySchema = RecipientSchema.extend({ uses: z.number().int(), lastUsed: z.string() });
type Entry = z.infer<typeof EntrySchema>;
const BookSchema = z.object({ recipients: z.array(EntrySchema) });

/** Enough for autocomplete; the least used, oldest entries go first. */
const MAX_ENTRIES = 2000;

/**
 * Recipients the user has sent to, for autocomplete: <profile>/recipients.json. Only addresses and
 * display names the user typed; nothing from message bodies.
 */
export class RecipientBook {
  private readonly file: string;
  private cache: Entry[] | undefined;
  /**
   * The cached entries by lower-cased address: a burst of sends to many new recipients would
   * otherwise look through the whole list once per recipient.
   */
  private readonly byAddress = new Map<string, Entry>();
  private writing: Promise<void> = Promise.resolve();
  /** A write queued behind the running one; every change made before it starts is in it. */
  private nextWrite: Promise<void> | undefined;
  private unsorted = false;

  constructor(private readonly profileDir: string) {
    this.file = join(profileDir, 'recipients.json');
  }

  /** Read once, by the first caller; callers at the same moment share one list, not a copy each. */
  private loading: Promise<Entry[]> | undefined;

  private load(): Promise<Entry[]> {
    this.loading ??= readFile(this.file, 'utf8')
      .then(
        (text) => {
          const parsed = BookSchema.safeParse(JSON.parse(text));
          const recipients = parsed.success ? parsed.data.recipients : [];
          for (const entry of recipients) this.byAddress.set(entry.address.toLowerCase(), entry);
          return (this.cache = recipients);
        },
        // A missing or damaged file only costs suggestions; it is rebuilt from the next send.
        () => (this.cache = []),
      )
      .catch(() => (this.cache = []));
    return this.loading;
  }

  async remember(recipients: Recipient[]): Promise<void> {
    const entries = await this.load();
    const now = new Date().toISOString();
    for (const r of recipients) {
      const address = r.address.trim();
      // Only addresses mail can go to become suggestions (a completed draft may carry a typo).
      if (!checkEmailAddress(address).ok) continue;
      const key = address.toLowerCase();
      const existing = this.byAddress.get(key);
      if (existing) {
        existing.uses += 1;
        existing.lastUsed = now;
        if (r.name) existing.name = r.name;
      } else {
        const entry = { name: r.name, address, uses: 1, lastUsed: now };
        entries.push(entry);
        this.byAddress.set(key, entry);
      }
    }
    this.unsorted = true;
    await this.save();
  }

  private sorted(): Entry[] {
    const entries = this.cache ?? [];
    if (this.unsorted) {
      // lastUsed is an ISO timestamp: ordered as plain strings (localeCompare would collate them
      // through ICU, at every write of the book during a burst of sends).
      entries.sort(
        (a, b) => b.uses - a.uses || (a.lastUsed < b.lastUsed ? 1 : a.lastUsed > b.lastUsed ? -1 : 0),
      );
      for (const dropped of entries.splice(MAX_ENTRIES)) this.byAddress.delete(dropped.address.toLowerCase());
      this.unsorted = false;
    }
    return entries;
  }

  /**
   * Group commit: a send remembers its recipients and waits for a write that starts after its
   * change. Sends that arrive while one write runs share the next one, so a burst of sends costs a
   * few writes of the book, not one each (each write is the whole file, up to MAX_ENTRIES).
   */
  private save(): Promise<void> {
    this.nextWrite ??= this.writing
      .catch(() => undefined)
      .then(async () => {
        this.nextWrite = undefined;
        const snapshot = JSON.stringify({ recipients: this.sorted() });
        await mkdir(this.profileDir, { recursive: true });
        await writeFileDurably(this.file, snapshot);
      });
    this.writing = this.nextWrite;
    return this.nextWrite;
  }

  /** Matches the start of the address, of its domain, or of any word of the name; most used first. */
  async suggest(query: string, limit: number): Promise<Recipient[]> {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    await this.load();
    const matches = this.sorted().filter((e) => {
      const address = e.address.toLowerCase();
      const domain = address.slice(address.lastIndexOf('@') + 1);
      return (
        address.startsWith(q) ||
        domain.startsWith(q) ||
        e.name.toLowerCase().startsWith(q) ||
        e.name
          .toLowerCase()
          .split(/[\s,]+/)
          .some((word) => word.startsWith(q))
      );
    });
    return matches.slice(0, limit).map(({ name, address }) => ({ name, address }));
  }
}
