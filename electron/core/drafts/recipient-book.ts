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
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly profileDir: string) {
    this.file = join(profileDir, 'recipients.json');
  }

  private async load(): Promise<Entry[]> {
    if (this.cache) return this.cache;
    try {
      const parsed = BookSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      this.cache = parsed.success ? parsed.data.recipients : [];
    } catch {
      // A missing or damaged file only costs suggestions; it is rebuilt from the next send.
      this.cache = [];
    }
    return this.cache;
  }

  async remember(recipients: Recipient[]): Promise<void> {
    const entries = await this.load();
    const now = new Date().toISOString();
    for (const r of recipients) {
      const address = r.address.trim();
      // Only addresses mail can go to become suggestions (a completed draft may carry a typo).
      if (!checkEmailAddress(address).ok) continue;
      const existing = entries.find((e) => e.address.toLowerCase() === address.toLowerCase());
      if (existing) {
        existing.uses += 1;
        existing.lastUsed = now;
        if (r.name) existing.name = r.name;
      } else {
        entries.push({ name: r.name, address, uses: 1, lastUsed: now });
      }
    }
    entries.sort((a, b) => b.uses - a.uses || b.lastUsed.localeCompare(a.lastUsed));
    entries.splice(MAX_ENTRIES);
    const snapshot = JSON.stringify({ recipients: entries });
    this.writing = this.writing.then(async () => {
      await mkdir(this.profileDir, { recursive: true });
      await writeFileDurably(this.file, snapshot);
    });
    await this.writing;
  }

  /** Matches the start of the address, of its domain, or of any word of the name; most used first. */
  async suggest(query: string, limit: number): Promise<Recipient[]> {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const entries = await this.load();
    const matches = entries.filter((e) => {
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
