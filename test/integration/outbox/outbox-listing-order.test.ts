import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { plainAccounts } from './support/plain-accounts';

// A mail merge queues several rows at once, often within one millisecond: the outbox lists them in
// the order of the list, not in whatever order they happened to be written. Real files; nothing is
// sent (a process that only queues).

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('outbox listing order', () => {
  it('lists the rows of one merge queued in the same millisecond in row order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-listing-order-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const outbox = new Outbox({
      dir,
      accounts: plainAccounts(2525),
      settings: () => ({ undoDelayMs: 0 }),
      log: () => undefined,
      deliver: false,
    });
    cleanups.push(() => outbox.close());
    // Only Date is fixed: every row gets the same createdAt, as rows queued together often do.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T12:00:00.000Z'));
    const jobId = 'merge-0123456789abcdef';
    // Written last row first, so the order of writing is not the order of the list.
    for (const row of [5, 2, 4]) {
      const queued = await outbox.enqueue({
        accountId: 'acct',
        to: [`row${row}@example.test`],
        cc: [],
        bcc: [],
        subject: `Row ${row}`,
        text: 'Hello\n',
        attachments: [],
        merge: { jobId, row },
      });
      if (!queued.ok) throw new Error(queued.error.message);
    }
    const listed = await outbox.list('outbox');
    expect(listed.map((e) => e.merge?.row)).toEqual([2, 4, 5]);
    expect(new Set(listed.map((e) => e.createdAt)).size).toBe(1);
  });
});
