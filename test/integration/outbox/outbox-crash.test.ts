import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSinkServer, type SinkServer } from './support/sink-server';
import { entriesOnDisk } from './support/outbox-files';
import { runDriver, type DriverProcess } from './support/driver-process';

// Crash safety: the sending process is killed with SIGKILL at random points while it queues and
// delivers 100 messages, then restarted. Every message it acknowledged must reach the server, and a
// message may arrive twice only if it was in flight ('sending' on disk) when the process died, and
// at most one per open connection per kill.

const driver = resolve(__dirname, 'support/outbox-driver.ts');
const TRIALS = 20;
const MESSAGES = 100;
/** Connections the driver opens (maxConnectionsPerAccount); more messages than that are handed to the pool. */
const CONNECTIONS = 2;

let server: SinkServer;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startSinkServer();
});
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Run = DriverProcess;
const run = (args: string[]): Run => runDriver(driver, args);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILL, then wait until the process is really gone (and reaped), as after a crash. */
async function kill(target: Run): Promise<void> {
  target.child.kill('SIGKILL');
  await target.done;
}

describe('outbox crash safety (SIGKILL during sends)', () => {
  it(
    `loses nothing and duplicates only in-flight messages over ${TRIALS} trials of ${MESSAGES} sends`,
    { timeout: 170_000 },
    async () => {
      let kills = 0;
      let duplicates = 0;
      let sendingAtKill = 0;
      let mostAtOneKill = 0;
      let mostPerKill = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        let killsThisTrial = 0;
        const dir = mkdtempSync(join(tmpdir(), 'mailroom-crash-'));
        dirs.push(dir);
        const before = new Set(server.countByMessageId().keys());
        const inFlight = new Set<string>();
        const recordInFlight = () => {
          const sending = entriesOnDisk(dir).filter((e) => e.state === 'sending');
          mostAtOneKill = Math.max(mostAtOneKill, sending.length);
          for (const e of sending) inFlight.add(e.messageId);
        };

        // Kill while queueing and delivering: after a random number of acknowledged messages, plus a
        // random moment; a quarter of the trials kill after everything was queued, mid-delivery.
        const first = run(['enqueue', dir, String(server.port), String(MESSAGES), String(CONNECTIONS)]);
        const late = trial % 4 === 3;
        await first.queued(late ? MESSAGES : 1 + Math.floor(Math.random() * (MESSAGES - 1)));
        await pause(Math.random() * (late ? 150 : 30));
        await kill(first);
        kills++;
        killsThisTrial++;
        recordInFlight();
        const acknowledged = [...first.acknowledged];

        // Half the trials crash a second time while resuming.
        if (trial % 2 === 1) {
          const second = run(['resume', dir, String(server.port), String(CONNECTIONS)]);
          await pause(300 + Math.random() * 400);
          await kill(second);
          kills++;
          killsThisTrial++;
          recordInFlight();
        }

        const last = run(['resume', dir, String(server.port), String(CONNECTIONS)]);
        expect(await last.done).toBe(0);
        // The killed writers' temporary files went at the restart, not ten minutes later.
        expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);

        const counts = server.countByMessageId();
        const onDisk = entriesOnDisk(dir);
        // Every acknowledged message was delivered; nothing is left behind or failed.
        for (const id of acknowledged)
          expect(counts.get(id) ?? 0, `acknowledged ${id}`).toBeGreaterThanOrEqual(1);
        expect(onDisk.filter((e) => e.state !== 'sent')).toEqual([]);
        expect(onDisk.length).toBeGreaterThanOrEqual(acknowledged.length);
        // Everything that arrived belongs to this trial's outbox, and only in-flight messages twice.
        const arrived = [...counts.keys()].filter((id) => !before.has(id));
        const stored = new Set(onDisk.map((e) => e.messageId));
        let extraCopies = 0;
        for (const id of arrived) {
          expect(stored.has(id), `unexpected ${id}`).toBe(true);
          const count = counts.get(id)!;
          if (count > 1) {
            duplicates++;
            extraCopies += count - 1;
            expect(inFlight.has(id), `${id} arrived ${count} times but was not in flight at a kill`).toBe(
              true,
            );
          }
        }
        expect(arrived.length).toBe(onDisk.length);
        // A message is durably 'sending' only once a connection has taken it: at most one possible
        // duplicate per connection per kill.
        expect(extraCopies, `copies too many after ${killsThisTrial} kill(s)`).toBeLessThanOrEqual(
          killsThisTrial * CONNECTIONS,
        );
        mostPerKill = Math.max(mostPerKill, extraCopies / killsThisTrial);
        sendingAtKill += inFlight.size;
      }
      expect(kills).toBeGreaterThanOrEqual(TRIALS);
      // 'sending' on disk: the message on each connection, plus, for a moment, the one before it on
      // that connection whose 250 is being written (its successor's bytes wait for that write).
      expect(mostAtOneKill).toBeLessThanOrEqual(2 * CONNECTIONS);
      console.info(
        `outbox crash test: ${kills} kills, ${sendingAtKill} messages in flight at a kill (at most ${mostAtOneKill} at one), ${duplicates} delivered twice (at most ${mostPerKill} per kill)`,
      );
    },
  );
});
