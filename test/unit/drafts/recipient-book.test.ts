import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
