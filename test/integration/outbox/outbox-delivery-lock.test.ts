import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { acquireDeliveryLock } from '../../../electron/core/outbox/delivery-lock';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { plainAccounts } from './support/plain-accounts';
import { startSinkServer, type SinkServer } from './support/sink-server';

// The delivery lock between processes sharing a profile: only deliverers take it, a deliverer that
// found it taken takes over once the holder is gone, exactly one of many claimants wins a stale lock,
// and a lock whose pid now belongs to another process counts as stale. Real processes, real files.

const root = resolve(__dirname, '../../..');
const holderScript = resolve(__dirname, 'support/lock-holder.ts');

let server: SinkServer;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  server = await startSinkServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openOutbox(dir: string, extra: { rescanMs?: number; deliver?: boolean } = {}): Outbox {
  const outbox = new Outbox({
    dir,
    accounts: plainAccounts(server.port),
    settings: () => ({ undoDelayMs: 0, poolIdleMs: 0 }),
    log: () => undefined,
    ...extra,
  });
  cleanups.push(() => outbox.close());
  return outbox;
}

interface Holder {
  child: ChildProcess;
  /** Resolves with the holder's `delivering` once its outbox is open. */
  ready: Promise<boolean>;
  exited: Promise<void>;
}

/** Another process with the outbox open (support/lock-holder.ts). */
function startHolder(dir: string, mode: 'deliver' | 'quiet', subject?: string): Holder {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', holderScript, dir, String(server.port), mode, ...(subject ? [subject] : [])],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = new Promise<boolean>((resolveReady, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /^ready (true|false)$/m.exec(out);
      if (match) resolveReady(match[1] === 'true');
    });
    void exited.then(() => reject(new Error(`lock holder exited before it was ready: ${errors}`)));
  });
  ready.catch(() => undefined);
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, ready, exited };
}

function until(
  outbox: Outbox,
  id: string,
  what: (e: OutboxEntry) => boolean,
  ms = 10_000,
): Promise<OutboxEntry> {
  return new Promise((resolveEntry, reject) => {
    const check = () => {
      const entry = outbox.get(id);
      if (entry && what(entry)) {
        clearTimeout(timer);
        unsubscribe();
        resolveEntry(entry);
      }
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`entry ${id} is ${outbox.get(id)?.state ?? 'gone'} after ${ms} ms`));
    }, ms);
    const unsubscribe = outbox.subscribe(check);
    check();
  });
}

function message(subject: string) {
  return {
    accountId: 'acct',
    to: ['rcpt@example.test'],
    cc: [],
    bcc: [],
    subject,
    text: 'Hello\n',
    attachments: [],
  };
}

/** A pid no process has now: that of a child that has exited. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', '']);
  return done.pid!;
}

describe('the delivery lock', () => {
  it('is never taken by a process that only queues; a deliverer started meanwhile delivers', async () => {
    const dir = tempDir();
    const quiet = startHolder(dir, 'quiet', 'Queued while a queue-only process runs');
    expect(await quiet.ready).toBe(false);
    expect(existsSync(join(dir, 'delivery.lock'))).toBe(false);

    const deliverer = openOutbox(dir);
    await deliverer.ready;
    expect(deliverer.delivering).toBe(true);
    const [queued] = await deliverer.list('outbox');
    expect(queued?.subject).toBe('Queued while a queue-only process runs');
    const sent = await until(deliverer, queued!.id, (e) => e.state === 'sent');
    expect(server.countByMessageId().get(sent.messageId)).toBe(1);
  });

  for (const exit of ['quits', 'is killed'] as const) {
    it(`a deliverer that found it taken delivers once the holder ${exit}`, async () => {
      const dir = tempDir();
      const holder = startHolder(dir, 'deliver');
      expect(await holder.ready).toBe(true);

      const waiting = openOutbox(dir, { rescanMs: 100 });
      await waiting.ready;
      expect(waiting.delivering).toBe(false);
      // The holder never rescans: this message waits for whoever delivers next.
      const queued = await waiting.enqueue(message(`Waits until the holder ${exit}`));
      if (!queued.ok) throw new Error(queued.error.message);

      if (exit === 'quits') holder.child.stdin!.end();
      else holder.child.kill('SIGKILL');
      await holder.exited;
      const sent = await until(waiting, queued.value.id, (e) => e.state === 'sent');
      expect(waiting.delivering).toBe(true);
      expect(server.countByMessageId().get(sent.messageId)).toBe(1);
    });
  }

  it('gives a stale lock to exactly one of many claimants at once, 200 times over', async () => {
    const dir = tempDir();
    const lock = join(dir, 'delivery.lock');
    const dead = deadPid();
    for (let round = 0; round < 200; round++) {
      writeFileSync(lock, JSON.stringify({ pid: dead, token: `round ${round}` }));
      const claims = await Promise.all(Array.from({ length: 8 }, () => acquireDeliveryLock(dir)));
      expect(claims.filter((c) => c.owned)).toHaveLength(1);
      for (const claim of claims) await claim.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('treats a lock whose pid now belongs to another process as stale', async () => {
    const dir = tempDir();
    const holder = startHolder(dir, 'deliver');
    expect(await holder.ready).toBe(true);
    const written = JSON.parse(readFileSync(join(dir, 'delivery.lock'), 'utf8')) as Record<string, unknown>;
    holder.child.kill('SIGKILL');
    await holder.exited;
    // The holder died and its pid went to an unrelated process: the lock names a live pid, with the
    // start time of the process that is gone.
    const unrelated = spawn('sleep', ['30']);
    cleanups.push(() => unrelated.kill('SIGKILL'));
    writeFileSync(join(dir, 'delivery.lock'), JSON.stringify({ ...written, pid: unrelated.pid }));

    const outbox = openOutbox(dir);
    await outbox.ready;
    expect(outbox.delivering).toBe(true);
  });

  it('is respected while its holder is alive', async () => {
    const dir = tempDir();
    const holder = startHolder(dir, 'deliver');
    expect(await holder.ready).toBe(true);
    const outbox = openOutbox(dir, { rescanMs: 50 });
    await outbox.ready;
    await outbox.kick();
    expect(outbox.delivering).toBe(false);
  });
});
