import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { plainAccounts } from './support/plain-accounts';

// Loading reads each entry file into one reused buffer (64 KB) with a single read: an entry larger
// than that (a server's very long reply) is read whole, and entries after it are not mixed with it.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function quietOutbox(dir: string, log: (message: string) => void = () => undefined): Outbox {
  const outbox = new Outbox({ dir, accounts: plainAccounts(9), settings: () => ({}), log, deliver: false });
  cleanups.push(() => outbox.close());
  return outbox;
}

describe('reading entries', () => {
  it('reads an entry larger than the read buffer whole, and the small ones around it as they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-entry-reading-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const writer = quietOutbox(dir);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const queued = await writer.enqueue({
        accountId: 'acc-read',
        to: [`rcpt${i}@example.test`],
        cc: [],
        bcc: [],
        subject: `Message ${i}`,
        text: 'Hello\n',
        attachments: [],
        undoDelayMs: 0,
      });
      if (!queued.ok) throw new Error(queued.error.message);
      ids.push(queued.value.id);
    }
    await writer.close();
    // A reply of 300 KB (multi-byte characters included) in one of them, as a server might send.
    const reply = `451 ${'slow down, é '.repeat(24_000)}`;
    const big = join(dir, `${ids[2]}.json`);
    writeFileSync(big, JSON.stringify({ ...JSON.parse(readFileSync(big, 'utf8')), response: reply }, null, 2));

    const problems: string[] = [];
    const listed = await quietOutbox(dir, (message) => problems.push(message)).list('outbox');
    expect(problems).toEqual([]);
    expect(listed.map((e) => e.id).sort()).toEqual([...ids].sort());
    for (const entry of listed) {
      const i = ids.indexOf(entry.id);
      expect(entry.subject).toBe(`Message ${i}`);
      expect(entry.response).toBe(i === 2 ? reply : undefined);
    }
  });
});
