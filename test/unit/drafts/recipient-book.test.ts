import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecipientBook } from '../../../electron/core/drafts/recipient-book';
import { directorySyncs } from '../../../electron/core/files/durable-files';

let profile: string;
beforeEach(() => {
  profile = mkdtempSync(join(tmpdir(), 'mailroom-recipients-'));
});
afterEach(() => rmSync(profile, { recursive: true, force: true }));

describe('recipients remembered for autocomplete', () => {
  it('suggests by address, domain or any word of the name, most used first, across restarts', async () => {
    const book = new RecipientBook(profile);
    await book.remember([
      { name: 'Doe, Jane', address: 'jane@x.org' },
      { name: '', address: 'jack@y.com' },
    ]);
    await book.remember([{ name: '', address: 'JACK@y.com' }]);

    const later = new RecipientBook(profile);
    expect((await later.suggest('ja', 8)).map((r) => r.address)).toEqual(['jack@y.com', 'jane@x.org']);
    expect(await later.suggest('doe', 8)).toEqual([{ name: 'Doe, Jane', address: 'jane@x.org' }]);
    expect(await later.suggest('jane', 8)).toEqual([{ name: 'Doe, Jane', address: 'jane@x.org' }]);
    expect((await later.suggest('y.c', 8)).map((r) => r.address)).toEqual(['jack@y.com']);
    expect(await later.suggest('', 8)).toEqual([]);
    expect(await later.suggest('zzz', 8)).toEqual([]);
  });

  it('a burst of sends shares writes of the book, and every one of them is on disk when it is answered', async () => {
    const book = new RecipientBook(profile);
    const before = directorySyncs();
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => book.remember([{ name: '', address: `r${i}@x.org` }])),
    );
    // One write per send would be 100 directory syncs; the burst shares a few.
    expect(directorySyncs() - before).toBeLessThanOrEqual(3);
    const later = new RecipientBook(profile);
    expect(await later.suggest('r', 200)).toHaveLength(100);
  });

  it('a recipient dropped from a full book comes back, with its uses counted afresh, when mail goes to them again', async () => {
    // Only Date is faked: the order of last use decides who is dropped, and the writes stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const book = new RecipientBook(profile);
      vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
      await book.remember([{ name: 'Old Friend', address: 'old@friend.org' }]);
      // 2,000 addresses used once, later: the book is full and the oldest, Old Friend, goes.
      vi.setSystemTime(new Date('2026-01-02T10:00:00Z'));
      await book.remember(Array.from({ length: 2000 }, (_, i) => ({ name: '', address: `r${i}@x.org` })));
      expect(await book.suggest('old', 8)).toEqual([]);

      vi.setSystemTime(new Date('2026-01-03T10:00:00Z'));
      await book.remember([{ name: 'Old Friend', address: 'OLD@friend.org' }]);
      vi.setSystemTime(new Date('2026-01-04T10:00:00Z'));
      await book.remember([{ name: 'Old Friend', address: 'old@friend.org' }]);
      const later = new RecipientBook(profile);
      expect(await later.suggest('old', 8)).toEqual([{ name: 'Old Friend', address: 'OLD@friend.org' }]);
      expect(await later.suggest('r', 3000)).toHaveLength(1999);
    } finally {
      vi.useRealTimers();
    }
  });
});
