import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { plainAccounts } from './support/plain-accounts';

// Hundreds of messages handed over at once (a script, a burst of Sends): the first must be queued,
// and so on its way, while the rest wait their turn, not once nearly all are written.

const dirs: string[] = [];
const open: Outbox[] = [];
afterEach(async () => {
  for (const outbox of open.splice(0)) await outbox.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a burst of messages handed over at once', () => {
  it('queues the first while at most a turn of others (8) has been started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-burst-'));
    dirs.push(dir);
    const attachment = join(dir, 'report.bin');
    writeFileSync(attachment, Buffer.alloc(200 * 1024, 7));
    const outboxDir = join(dir, 'outbox');
    // Nothing listens on port 9, and the undo delay holds them: this is about queueing only.
    const outbox = new Outbox({
      dir: outboxDir,
      accounts: plainAccounts(9),
      settings: () => ({ undoDelayMs: 60_000 }),
      log: () => undefined,
    });
    open.push(outbox);
    await outbox.ready;

    // Message files started (written or being written) when the first entry is on disk.
    let startedAtFirst: number | undefined;
    const count = 40;
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        outbox.enqueue({
          accountId: 'a',
          to: [`rcpt${i}@example.test`],
          cc: [],
          bcc: [],
          subject: `Burst ${i}`,
          text: 'Hello',
          attachments: [{ path: attachment }],
          onQueued: () => {
            startedAtFirst ??= readdirSync(outboxDir).filter((n) => n.includes('.eml')).length;
          },
        }),
      ),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(await outbox.list('outbox')).toHaveLength(count);
    expect(startedAtFirst).toBeGreaterThan(0);
    expect(startedAtFirst).toBeLessThanOrEqual(8);
  });
});
