import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxSettings } from '../../../shared/domain/outbox';
import { Outbox, type EnqueueRequest } from '../../../electron/core/outbox/outbox';
import { startSinkServer, type SinkOptions, type SinkServer } from './support/sink-server';
import { plainAccounts } from './support/plain-accounts';
import { untilEntry } from './support/until-entry';

// What the outbox does when its own files let it down: a damaged entry, a damaged message file, a
// full disk. Real files throughout; the full disk is a real 2 MiB tmpfs.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sink(options: SinkOptions = {}): Promise<SinkServer> {
  const server = await startSinkServer(options);
  cleanups.push(() => server.stop());
  return server;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-damage-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openOutbox(
  dir: string,
  port: number,
  settings: Partial<OutboxSettings> = {},
  deliver = true,
): Outbox {
  const outbox = new Outbox({
    dir,
    accounts: plainAccounts(port),
    settings: () => ({ undoDelayMs: 0, retryBaseMs: 50, retryCapMs: 200, ...settings }),
    log: () => undefined,
    deliver,
  });
  cleanups.push(() => outbox.close());
  return outbox;
}

function message(overrides: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    accountId: 'acct',
    to: ['charles@example.test'],
    cc: ['mary@example.test'],
    bcc: ['hidden@example.test'],
    subject: 'Notes on the Analytical Engine',
    text: 'The engine weaves algebraic patterns.\n'.repeat(50),
    attachments: [],
    ...overrides,
  };
}

const until = untilEntry;

/** Queues a message held for an hour (send later), so it is on disk but not sent, then closes. */
async function heldMessage(
  dir: string,
  port: number,
  overrides: Partial<EnqueueRequest> = {},
): Promise<OutboxEntry> {
  const outbox = openOutbox(dir, port);
  const queued = await outbox.enqueue(
    message({ sendAt: new Date(Date.now() + 3_600_000).toISOString(), ...overrides }),
  );
  if (!queued.ok) throw new Error(queued.error.message);
  await outbox.close();
  return queued.value;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stateOnDisk = (dir: string, id: string) =>
  JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as { state: string; resumedAfterCrash?: boolean };

describe('a damaged entry never loses its message', () => {
  it('a truncated entry comes back as needing attention, in every process, and Retry sends it to everyone', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await heldMessage(dir, server.port);
    const entryFile = join(dir, `${queued.id}.json`);
    truncateSync(entryFile, Math.floor(statSync(entryFile).size / 3));

    // Started twice (the second start sweeps as the lock holder), and listed by a process that
    // does not deliver: the message file stays, and the entry says what happened.
    for (let start = 0; start < 2; start++) {
      const outbox = openOutbox(dir, server.port);
      const [entry] = await outbox.list('outbox');
      expect(entry).toMatchObject({
        id: queued.id,
        messageId: queued.messageId,
        state: 'failed',
        to: ['charles@example.test'],
        bcc: ['hidden@example.test'],
        subject: 'Notes on the Analytical Engine',
        resumedAfterCrash: true,
        lastError: { code: 'OUTBOX_ENTRY_DAMAGED' },
      });
      expect(entry?.lastError?.hint).toMatch(/Retry .*Remove/);
      await outbox.close();
      expect(existsSync(join(dir, `${queued.id}.eml`))).toBe(true);
    }
    const reader = openOutbox(dir, server.port, {}, false);
    expect((await reader.list('outbox')).map((e) => [e.id, e.state])).toEqual([[queued.id, 'failed']]);
    await reader.close();

    const outbox = openOutbox(dir, server.port);
    await outbox.list('outbox');
    expect((await outbox.retry(queued.id)).ok).toBe(true);
    await until(outbox, queued.id, (e) => e.state === 'sent');
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]).toMatchObject({ messageId: queued.messageId });
    expect(server.messages[0]?.to.sort()).toEqual([
      'charles@example.test',
      'hidden@example.test',
      'mary@example.test',
    ]);
  });

  it('a message file left without its entry is listed (not swept) once no live writer can own it, and Remove discards it', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await heldMessage(dir, server.port);
    rmSync(join(dir, `${queued.id}.json`));
    const eml = join(dir, `${queued.id}.eml`);

    // Fresh: it may be another process's enqueue in progress, so it is neither listed nor touched.
    let outbox = openOutbox(dir, server.port);
    expect(await outbox.list('outbox')).toEqual([]);
    await outbox.close();
    expect(existsSync(eml)).toBe(true);

    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(eml, old, old);
    utimesSync(join(dir, `${queued.id}.envelope-texts`), old, old);
    outbox = openOutbox(dir, server.port);
    const [entry] = await outbox.list('outbox');
    expect(entry).toMatchObject({
      id: queued.id,
      state: 'failed',
      lastError: { code: 'OUTBOX_ENTRY_DAMAGED' },
    });
    expect(entry?.resumedAfterCrash).toBeUndefined();
    expect(existsSync(eml)).toBe(true);
    expect((await outbox.remove(queued.id)).ok).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith(queued.id))).toEqual([]);
    expect(server.messages).toHaveLength(0);
  });
});

describe('the stored message is checked before it is sent', () => {
  it('a message file cut to a third fails with MESSAGE_FILE_DAMAGED and nothing reaches the server', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await heldMessage(dir, server.port);
    const eml = join(dir, `${queued.id}.eml`);
    truncateSync(eml, Math.floor(statSync(eml).size / 3));
    const outbox = openOutbox(dir, server.port);
    await outbox.list('outbox');
    expect((await outbox.retry(queued.id)).ok).toBe(true);
    const failed = await until(outbox, queued.id, (e) => e.state === 'failed');
    expect(failed.lastError).toMatchObject({ code: 'MESSAGE_FILE_DAMAGED' });
    expect(failed.lastError?.hint).toMatch(/Edit/);
    await pause(300);
    expect(outbox.get(queued.id)?.state).toBe('failed');
    expect(server.dataAttempts).toBe(0);
    expect(server.connections).toBe(0);
  });

  it('a file of the same size with changed bytes is caught by its SHA-256 as it is sent, and the server accepts none of it; an entry without one still sends', async () => {
    const server = await sink();
    const dir = tempDir();
    const changed = await heldMessage(dir, server.port, { subject: 'changed' });
    const old = await heldMessage(dir, server.port, { subject: 'written before hashes' });
    const eml = join(dir, `${changed.id}.eml`);
    const bytes = readFileSync(eml);
    bytes[bytes.length - 10] = bytes[bytes.length - 10] === 0x41 ? 0x42 : 0x41;
    writeFileSync(eml, bytes);
    const oldEntry = join(dir, `${old.id}.json`);
    const { sha256: _dropped, ...withoutHash } = JSON.parse(readFileSync(oldEntry, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(_dropped).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(oldEntry, JSON.stringify(withoutHash));

    const outbox = openOutbox(dir, server.port);
    await outbox.list('outbox');
    await outbox.retry(changed.id);
    await outbox.retry(old.id);
    const failed = await until(outbox, changed.id, (e) => e.state === 'failed');
    expect(failed.lastError).toMatchObject({ code: 'MESSAGE_FILE_DAMAGED' });
    expect(failed.lastError?.message).toContain('its content has changed');
    await until(outbox, old.id, (e) => e.state === 'sent');
    // The end of the changed message was never sent, so the server accepted nothing of it, and it is
    // not tried again.
    expect(server.messages.map((m) => m.messageId)).toEqual([old.messageId]);
    await pause(300);
    expect(outbox.get(changed.id)).toMatchObject({ state: 'failed', attempts: 1 });
    expect(server.messages).toHaveLength(1);
  });
});

describe('a full disk (a real 2 MiB tmpfs)', () => {
  let mountPoint: string;
  beforeAll(() => {
    mountPoint = mkdtempSync(join(tmpdir(), 'mailroom-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint]);
  });
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  /** Takes every free block of the tmpfs; returns how to give them back. */
  function fillDisk(): () => void {
    const fillers: string[] = [];
    for (let i = 0; ; i++) {
      const path = join(mountPoint, `filler-${i}`);
      fillers.push(path);
      try {
        writeFileSync(path, Buffer.alloc(i === 0 ? 4 * 1024 * 1024 : 1024));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
    return () => {
      for (const path of fillers) rmSync(path, { force: true });
    };
  }

  function outboxDir(): string {
    const dir = join(mountPoint, `outbox-${Date.now()}`);
    mkdirSync(dir);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('enqueue on a full disk answers DISK_FULL with a hint and leaves nothing behind', async () => {
    const server = await sink();
    const dir = outboxDir();
    const outbox = openOutbox(dir, server.port);
    await outbox.ready;
    const free = fillDisk();
    cleanups.push(free);
    const result = await outbox.enqueue(message());
    expect(result).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/full.*not queued/);
    expect(result.error.hint).toMatch(/Free some disk space/);
    expect(readdirSync(dir).filter((n) => n !== 'delivery.lock')).toEqual([]);
  });

  it('a 250 that cannot be recorded is not sent again, flush returns, and the outcome is written once there is room', async () => {
    let free: (() => void) | undefined;
    // The disk fills up while the server receives the message: its 250 cannot be recorded.
    const server = await sink({
      dataReply: () => {
        free ??= fillDisk();
        return undefined;
      },
    });
    cleanups.push(() => free?.());
    const dir = outboxDir();
    const outbox = openOutbox(dir, server.port);
    const queued = await outbox.enqueue(message());
    if (!queued.ok) throw new Error(queued.error.message);
    await until(outbox, queued.value.id, (e) => e.state === 'sent');
    expect(stateOnDisk(dir, queued.value.id).state).toBe('sending');
    // Nothing waits on it: the outbox is idle, and stays so while the disk is full.
    await pause(1_500);
    expect(outbox.pendingCount()).toBe(0);
    expect(server.dataAttempts).toBe(1);
    expect(stateOnDisk(dir, queued.value.id).state).toBe('sending');
    free?.();
    free = undefined;
    for (let i = 0; i < 50 && stateOnDisk(dir, queued.value.id).state !== 'sent'; i++) await pause(100);
    expect(stateOnDisk(dir, queued.value.id).state).toBe('sent');
    await outbox.close();
    expect(server.dataAttempts).toBe(1);
  });

  it('closed before the 250 could be recorded: close returns, and the next start sends it again flagged as a possible duplicate', async () => {
    let free: (() => void) | undefined;
    const server = await sink({
      dataReply: () => {
        free ??= fillDisk();
        return undefined;
      },
    });
    cleanups.push(() => free?.());
    const dir = outboxDir();
    const outbox = openOutbox(dir, server.port, { quitGraceMs: 200 });
    const queued = await outbox.enqueue(message());
    if (!queued.ok) throw new Error(queued.error.message);
    await until(outbox, queued.value.id, (e) => e.state === 'sent');
    const closing = Date.now();
    await outbox.close();
    expect(Date.now() - closing).toBeLessThan(3_000);
    expect(stateOnDisk(dir, queued.value.id).state).toBe('sending');
    free?.();
    free = undefined;
    const next = openOutbox(dir, server.port);
    const resent = await until(next, queued.value.id, (e) => e.state === 'sent');
    expect(resent.resumedAfterCrash).toBe(true);
    expect(server.countByMessageId().get(queued.value.messageId)).toBe(2);
  });
});

describe('leftovers of interrupted writes', () => {
  it("at start the lock holder removes temporary files of dead writers at once, and keeps a live writer's", async () => {
    const server = await sink();
    const dir = tempDir();
    await openOutbox(dir, server.port).close();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    cleanups.push(() => void live.kill('SIGKILL'));
    const deadTemp = `.tmp-0f1e2d3c-0000-4000-8000-000000000000.json-${dead}-0a1b2c3d-4e5f`;
    const liveTemp = `.tmp-0f1e2d3c-0000-4000-8000-000000000001.eml-${live.pid}-0a1b2c3d-4e5f`;
    writeFileSync(join(dir, deadTemp), 'half an entry');
    writeFileSync(join(dir, liveTemp), 'a message being written');
    const outbox = openOutbox(dir, server.port);
    await outbox.ready;
    expect(outbox.delivering).toBe(true);
    const temps = readdirSync(dir).filter((n) => n.startsWith('.tmp-'));
    expect(temps).toEqual([liveTemp]);
  });
});
