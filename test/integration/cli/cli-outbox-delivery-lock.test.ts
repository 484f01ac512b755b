import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../electron/core/ipc/dispatch';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { openProfileCore } from '../../../electron/core/profile';
import { entriesOnDisk } from '../outbox/support/outbox-files';
import { plainAccounts } from '../outbox/support/plain-accounts';
import { startSinkServer, type SinkServer } from '../outbox/support/sink-server';
import { runCli, tempProfile, type CliRun } from './support/run-cli';

// The delivery lock as commands meet it: a queue-only command never keeps `outbox flush` from
// delivering, concurrent flushes on a stale lock deliver every message exactly once, and a command
// waiting for another process to deliver stops at --wait with a message that says so.

const root = resolve(__dirname, '../../..');
const BIN = join(root, 'bin/mailroom.mjs');
const holderScript = join(root, 'test/integration/outbox/support/lock-holder.ts');

let sink: SinkServer;
const profile = tempProfile('lock');
const outboxDir = join(profile, 'outbox');
const lockFile = join(outboxDir, 'delivery.lock');
let accountId = '';
/** Queues messages as a queue-only process does (it never takes the lock). */
let queuer: Outbox;

beforeAll(async () => {
  sink = await startSinkServer();
  const core = openProfileCore(profile, undefined, { deliverOutbox: false });
  // Through dispatch, so the request gets its defaults as from a window (only core channels are used).
  const created = await dispatch(
    core.handlers as unknown as Handlers,
    'createAccount',
    {
      email: 'ada@example.test',
      displayName: 'Ada',
      smtp: { host: sink.host, port: sink.port, security: 'none', authMethod: 'none' },
    },
    { emit: () => undefined },
  );
  if (!created.ok) throw new Error(created.error.message);
  accountId = (created.value as { id: string }).id;
  await core.services.outbox.outbox.close();
  queuer = new Outbox({
    dir: outboxDir,
    accounts: plainAccounts(sink.port),
    settings: () => ({}),
    log: () => undefined,
    deliver: false,
  });
  await queuer.ready;
});
afterAll(async () => {
  await queuer?.close();
  await sink?.stop();
  rmSync(profile, { recursive: true, force: true });
});

async function queue(subject: string): Promise<string> {
  const queued = await queuer.enqueue({
    accountId,
    to: ['bob@example.test'],
    cc: [],
    bcc: [],
    subject,
    text: 'Hello\n',
    attachments: [],
    undoDelayMs: 0,
  });
  if (!queued.ok) throw new Error(queued.error.message);
  return queued.value.messageId;
}

const cli = (args: string[]) => runCli([...args, '--profile', profile]);

/** A pid no process has now: that of a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

/** A command that stays running until we end its stdin (or `killAfterMs` passes). */
function startCli(args: string[], killAfterMs: number) {
  const child = spawn(process.execPath, [BIN, ...args, '--profile', profile], {
    cwd: root,
    env: { ...process.env, MAILROOM_PROFILE: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const done = new Promise<CliRun>((resolveRun) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolveRun({ code: code ?? -1, stdout, stderr, json: <T>() => JSON.parse(stdout) as T });
    }),
  );
  return { child, done };
}

describe.sequential('the delivery lock from the command line', () => {
  it('outbox flush delivers while a queue-only send is still running', async () => {
    const waiting = await queue('Queued before the flush');
    // send --queue-only opens the outbox, then reads the body from stdin, which we keep open.
    const queueOnly = startCli(
      ['send', '--to', 'carol@example.test', '--subject', 'Body on stdin', '--queue-only', '--json'],
      60_000,
    );
    // Give it the time it takes to open the profile (a process that took the lock would have by now).
    for (let i = 0; i < 40 && !existsSync(lockFile); i++) await sleep(50);
    expect(existsSync(lockFile)).toBe(false);

    const flushed = await cli(['outbox', 'flush', '--json']);
    expect(flushed.stderr).not.toMatch(/another .*process/i);
    expect(flushed.code).toBe(0);
    expect(sink.countByMessageId().get(waiting)).toBe(1);

    queueOnly.child.stdin.end('The body\n');
    const queued = await queueOnly.done;
    expect(queued.code).toBe(0);
    expect(queued.json()).toMatchObject({ ok: true, state: 'queued' });
    expect((await cli(['outbox', 'flush', '--json'])).code).toBe(0);
    expect(sink.countByMessageId().get(queued.json<{ messageId: string }>().messageId)).toBe(1);
  });

  it('send stops waiting at --wait, says for whom and that the message stays queued, exit 1', async () => {
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', holderScript, outboxDir, String(sink.port), 'deliver'],
      {
        cwd: root,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<void>((r) => holder.once('exit', () => r()));
    try {
      await new Promise<void>((r) =>
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && r()),
      );
      const send = ['send', '--to', 'dave@example.test', '--subject', 'Waits', '--text', 'x', '--wait', '2'];
      const [sent, told] = await Promise.all([
        startCli([...send, '--json'], 30_000).done,
        startCli(send, 30_000).done,
      ]);
      expect(sent.code).toBe(1);
      const document = sent.json<{
        ok: boolean;
        outboxId: string;
        error: { code: string; message: string; hint: string };
      }>();
      expect(document).toMatchObject({ ok: false, error: { code: 'OUTBOX_WAIT_TIMEOUT' } });
      expect(document.error.message).toContain(
        `still waiting for the Mailroom process that delivers this profile’s outbox (the app or another command, pid ${holder.pid}) to deliver it`,
      );
      expect(document.error.message).toContain('after 2 s');
      expect(document.error.hint).toMatch(
        /^The message is queued and will be sent by that process when it next looks at the outbox/,
      );
      expect(told.code).toBe(1);
      expect(told.stderr).toMatch(
        /^Error \(OUTBOX_WAIT_TIMEOUT\): Stopped waiting after 2 s: still waiting for the Mailroom process/m,
      );
      expect(told.stderr).toMatch(/^What to do: The message is queued/m);
      expect(entriesOnDisk(outboxDir).find((e) => e.id === document.outboxId)?.state).toBe('queued');
    } finally {
      holder.stdin.end();
      await exited;
    }
    expect((await cli(['outbox', 'flush', '--json'])).code).toBe(0);
  });

  it(
    '20 rounds of 4 concurrent flushes on a stale lock deliver every message exactly once',
    { timeout: 180_000 },
    async () => {
      const expected: string[] = [];
      const dead = deadPid();
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 3; i++) expected.push(await queue(`Round ${round} message ${i}`));
        // The process that held the lock is gone (crashed or killed), as after a SIGKILL.
        writeFileSync(lockFile, String(dead));
        const runs = await Promise.all(Array.from({ length: 4 }, () => cli(['outbox', 'flush', '--json'])));
        for (const run of runs) {
          // A flush that lost the race says another process delivers; none fails otherwise.
          if (run.code !== 0) expect(run.json()).toMatchObject({ error: { code: 'OUTBOX_WRONG_STATE' } });
        }
        expect(runs.some((r) => r.code === 0)).toBe(true);
      }
      const counts = sink.countByMessageId();
      expect(expected.filter((id) => counts.get(id) !== 1)).toEqual([]);
      expect(entriesOnDisk(outboxDir).filter((e) => e.state !== 'sent' && e.state !== 'cancelled')).toEqual(
        [],
      );
    },
  );
});
