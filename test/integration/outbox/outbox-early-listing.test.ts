import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { listOutboxEarly, outboxNames } from '../../../electron/core/outbox/outbox-listing';
import { plainAccounts } from './support/plain-accounts';

// `mailroom outbox list` starts listing the outbox folder before it loads the core (the listing of
// a large folder takes as long as the loading), and the outbox's first load takes that listing.
// Real folders and a real quiet outbox throughout.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-early-listing-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function quietOutbox(dir: string, log: (message: string) => void = () => undefined): Outbox {
  const outbox = new Outbox({ dir, accounts: plainAccounts(9), settings: () => ({}), log, deliver: false });
  cleanups.push(() => outbox.close());
  return outbox;
}

async function queue(outbox: Outbox, subject: string): Promise<string> {
  const queued = await outbox.enqueue({
    accountId: 'acc-early',
    to: ['bob@example.test'],
    cc: [],
    bcc: [],
    subject,
    text: 'Hello\n',
    attachments: [],
    undoDelayMs: 0,
  });
  if (!queued.ok) throw new Error(queued.error.message);
  return queued.value.id;
}

describe('an outbox listing started early', () => {
  it('is taken once, by the first load; the next one lists the folder again', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'before'), '');
    listOutboxEarly(join(dir, '.', ''));
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(join(dir, 'after'), '');
    expect(await outboxNames(dir)).toEqual(['before']);
    expect((await outboxNames(dir)).sort()).toEqual(['after', 'before']);
  });

  it('of a folder that does not exist yet (a first start) lets the outbox list it once created', async () => {
    const dir = join(tempDir(), 'outbox');
    listOutboxEarly(dir);
    const outbox = quietOutbox(dir);
    expect(await outbox.list('outbox')).toEqual([]);
  });

  it('names an entry removed before it is read: that entry is simply gone, not reported damaged', async () => {
    const dir = tempDir();
    const writer = quietOutbox(dir);
    const kept = await queue(writer, 'Kept');
    const removed = await queue(writer, 'Removed');
    expect((await writer.cancel(removed)).ok).toBe(true);
    listOutboxEarly(dir);
    // Removed by its owner after the listing: message file first, then the rest (as remove does).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await writer.remove(removed)).ok).toBe(true);
    const problems: string[] = [];
    const reader = quietOutbox(dir, (message) => problems.push(message));
    expect((await reader.list('outbox')).map((e) => e.id)).toEqual([kept]);
    expect(problems).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.corrupt'))).toEqual([]);
  });
});
