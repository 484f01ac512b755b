import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryIdFor } from '../../../electron/core/merge/merge-jobs';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { runDriver, type DriverProcess } from '../outbox/support/driver-process';

// A merge's process is killed with SIGKILL while it writes the rows to the outbox, and while it
// delivers them; the next process finishes the job. Every row arrives, each row is exactly one
// entry, and a row arrives twice only if it was on a connection ('sending' on disk) at the kill.

const driver = resolve(__dirname, 'support/merge-driver.ts');
const ROWS = 200;
const CONNECTIONS = 2;

type Run = DriverProcess;
const run = (args: string[]): Run => runDriver(driver, args);

async function kill(target: Run): Promise<void> {
  target.child.kill('SIGKILL');
  await target.done;
}

interface Stored {
  id: string;
  state: string;
  messageId: string;
  to: string[];
  merge?: { jobId: string; row: number };
}

const entriesOnDisk = (dir: string): Stored[] =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Stored);

let server: TestSmtpServer;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startSmtpServer({ auth: 'none' });
});
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('mail merge crash safety (SIGKILL while queueing and while sending)', () => {
  it.each([
    ['while the rows are being queued', 40],
    ['while the rows are being sent', ROWS],
  ])(
    'a kill %s, then a restart: every row once, apart from the messages on a connection',
    { timeout: 40_000 },
    async (_when, killAfter) => {
      const dir = mkdtempSync(join(tmpdir(), 'mailroom-merge-crash-'));
      dirs.push(dir);
      const before = server.messages.length;
      const first = run(['start', dir, String(server.port), String(ROWS)]);
      if (killAfter < ROWS) await first.queued(killAfter);
      else {
        // Mid-delivery: once half the rows have reached the server (the test server has no event for it).
        const deadline = Date.now() + 20_000;
        while (server.messages.length - before < ROWS / 2 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 2));
      }
      await kill(first);
      const inFlight = new Set(
        entriesOnDisk(dir)
          .filter((e) => e.state === 'sending')
          .map((e) => e.messageId),
      );
      const jobId = readdirSync(join(dir, 'merge'))
        .find((n) => n.endsWith('.json'))!
        .slice(0, -'.json'.length);
      if (killAfter < ROWS) expect(entriesOnDisk(dir).length).toBeLessThan(ROWS);

      const last = run(['resume', dir, String(server.port)]);
      expect(await last.done).toBe(0);

      // Each row is exactly one entry, with the id fixed for its job and row, and it was sent.
      const entries = entriesOnDisk(dir);
      expect(entries).toHaveLength(ROWS);
      expect(new Set(entries.map((e) => e.id))).toEqual(
        new Set(Array.from({ length: ROWS }, (_, i) => entryIdFor(jobId, i + 2))),
      );
      expect(entries.filter((e) => e.state !== 'sent')).toEqual([]);

      // Every recipient got the message; only one that was on a connection at the kill twice.
      const arrived = server.messages.slice(before);
      const byRecipient = new Map<string, number>();
      for (const m of arrived) byRecipient.set(m.to[0]!, (byRecipient.get(m.to[0]!) ?? 0) + 1);
      for (let i = 1; i <= ROWS; i++)
        expect(byRecipient.get(`r${i}@example.org`), `row ${i + 1}`).toBeGreaterThanOrEqual(1);
      const twice = entries.filter((e) => (byRecipient.get(e.to[0]!) ?? 0) > 1);
      for (const e of twice)
        expect(inFlight.has(e.messageId), `${e.to[0]} twice but not in flight`).toBe(true);
      expect(arrived.length - ROWS).toBeLessThanOrEqual(CONNECTIONS);
      expect(readdirSync(join(dir, 'merge')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    },
  );
});
