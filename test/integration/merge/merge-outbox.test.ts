import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import type { StoredEntry } from '../../../electron/core/outbox/outbox-store';
import { openMergeRig, recipientsCsv, TEMPLATE, until, type MergeRig } from './support/merge-rig';

const MINUTE = 60_000;
let dir: string;
let server: TestSmtpServer | undefined;
let rig: MergeRig | undefined;

async function setUp(
  options: Parameters<typeof openMergeRig>[2] = {},
  serverOptions: Parameters<typeof startSmtpServer>[0] = {},
) {
  dir = await mkdtemp(join(tmpdir(), 'mailroom-merge-'));
  server = await startSmtpServer({ auth: 'none', ...serverOptions });
  rig = await openMergeRig(dir, server.port, options);
  return { rig, server };
}

afterEach(async () => {
  await rig?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
  rig = undefined;
  server = undefined;
});

const job = (r: MergeRig, id: string) => r.merge.describe(id)!;

describe('mail merge through the outbox to a real SMTP server', () => {
  it('sends a 500-row list as 500 messages, each with its own recipient and fields, and reports the bad rows', async () => {
    const { rig, server } = await setUp();
    const rows = recipientsCsv(500).split('\r\n');
    // Three bad rows among them: an address without a domain, an empty seat, a repeated address.
    rows.splice(10, 0, 'broken@,Broken,S-x');
    rows.splice(20, 0, 'noseat@example.org,No Seat,');
    rows.splice(30, 0, 'r5@example.org,Again,S-5b');
    const started = await rig.merge.start(TEMPLATE, { text: rows.join('\r\n'), fileName: 'guests.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.queued).toBe(500);
    expect(started.value.skipped.map((s) => [s.row, s.reason])).toEqual([
      [11, 'bad-address'],
      [21, 'empty-value'],
      [31, 'duplicate-address'],
    ]);
    const jobId = started.value.jobId;
    await until(rig.outbox, () => job(rig, jobId).counts.sent === 500, '500 sent', 50_000);
    expect(job(rig, jobId)).toMatchObject({
      state: 'done',
      counts: { total: 500, sent: 500, queued: 0, failed: 0, skipped: 3 },
    });

    expect(server.messages).toHaveLength(500);
    const seen = new Set<string>();
    for (const received of server.messages) {
      const parsed = await simpleParser(received.raw);
      const to = received.to[0]!;
      const n = /^r(\d+)@example\.org$/.exec(to)?.[1];
      expect(n, to).toBeDefined();
      expect(received.to).toEqual([to]);
      expect(parsed.to && 'value' in parsed.to ? parsed.to.value[0] : undefined).toMatchObject({
        address: to,
        name: `Guest ${n}`,
      });
      expect(parsed.subject).toBe(`Invitation for Guest ${n}`);
      expect(parsed.text).toBe(`Dear Guest ${n},\nyour seat is S-${n}.`);
      expect(parsed.html).toContain(`your seat is <strong>S-${n}</strong>`);
      seen.add(to);
    }
    expect(seen.size).toBe(500);

    // The entries name their job and row; the outbox lists them with it.
    const sent = await rig.outbox.list('sent');
    expect(sent.find((e) => e.to[0] === 'r1@example.org')?.merge).toEqual({ jobId, row: 2 });
  }, 60_000);

  it('paces a job to the per-minute limit by the injected clock, and says when the rest will go', async () => {
    const { rig, server } = await setUp({ limits: { perMinute: 2 } });
    const started = await rig.merge.start(TEMPLATE, { text: recipientsCsv(5), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.jobId;
    await until(rig.outbox, () => server.messages.length === 1, 'the first message');
    expect(job(rig, jobId).pacing).toMatchObject({
      currentPerMinute: 2,
      nextSendAt: new Date(rig.clock.now + 30_000).toISOString(),
      estimatedDoneAt: new Date(rig.clock.now + 4 * 30_000).toISOString(),
    });
    // Nothing more goes while the clock stands still, however long the test waits for events.
    await rig.outbox.nextChange(300);
    expect(server.messages).toHaveLength(1);
    rig.advance(29_999);
    await rig.outbox.nextChange(200);
    expect(server.messages).toHaveLength(1);
    for (let i = 2; i <= 5; i++) {
      rig.advance(i === 2 ? 1 : 30_000);
      await until(rig.outbox, () => server.messages.length === i, `message ${i}`);
    }
    expect(server.messages.map((m) => m.to[0])).toEqual([1, 2, 3, 4, 5].map((i) => `r${i}@example.org`));
    expect(job(rig, jobId).state).toBe('done');
  });

  it('stops at the day limit and goes on a day later', async () => {
    const { rig, server } = await setUp({ limits: { perDay: 3 } });
    const started = await rig.merge.start(TEMPLATE, { text: recipientsCsv(4), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    await until(rig.outbox, () => server.messages.length === 3, 'three messages');
    await rig.outbox.nextChange(300);
    expect(server.messages).toHaveLength(3);
    expect(job(rig, started.value.jobId).pacing.estimatedDoneAt).toBe(
      new Date(rig.clock.now + 24 * 60 * MINUTE).toISOString(),
    );
    rig.advance(24 * 60 * MINUTE);
    await until(rig.outbox, () => server.messages.length === 4, 'the fourth message');
  });

  // 451 4.7.x, not 421: smtp-server closes the connection after a 421, and nodemailer then may report
  // the close instead of the reply (a plain retry). The 421 rule itself is a unit test.
  it('slows down after "451 4.7.1 Too many messages" and sends the row later instead of failing it', async () => {
    let refusals = 1;
    const { rig, server } = await setUp(
      { limits: { perMinute: 60 } },
      {
        rejectRecipient: (address) =>
          address === 'r2@example.org' && refusals-- > 0
            ? { code: 451, text: '4.7.1 Too many messages, slow down' }
            : undefined,
      },
    );
    const started = await rig.merge.start(TEMPLATE, { text: recipientsCsv(3), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.jobId;
    await until(rig.outbox, () => server.messages.length === 1, 'the first message');
    rig.advance(1_000);
    await until(rig.outbox, () => job(rig, jobId).pacing.throttledUntil !== undefined, 'the push-back');
    const entry = rig.outbox.list('outbox').then((l) => l.find((e) => e.to[0] === 'r2@example.org'));
    expect(await entry).toMatchObject({ state: 'queued', lastError: { details: { responseCode: 451 } } });
    expect(job(rig, jobId)).toMatchObject({ state: 'active', counts: { failed: 0, sent: 1 } });
    expect(job(rig, jobId).pacing).toMatchObject({
      currentPerMinute: 30,
      throttleReply: expect.stringMatching(/^451 4\.7\.1 Too many/),
    });
    rig.advance(MINUTE);
    await until(rig.outbox, () => server.messages.length === 2, 'the refused row, later');
    expect(server.messages[1]?.to).toEqual(['r2@example.org']);
    // At the lower pace: one every 2 s.
    rig.advance(1_999);
    await rig.outbox.nextChange(200);
    expect(server.messages).toHaveLength(2);
    rig.advance(1);
    await until(rig.outbox, () => server.messages.length === 3, 'the last row');
  });

  it('a row on the wire when its job is cancelled, and told "later" by the server, is cancelled at once', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    const { rig, server } = await setUp(
      { limits: { perMinute: 60 } },
      {
        holdRecipient: (address) => (address === 'r1@example.org' ? held : undefined),
        rejectRecipient: (address) =>
          address === 'r1@example.org'
            ? { code: 451, text: '4.7.1 Too many messages, slow down' }
            : undefined,
      },
    );
    const started = await rig.merge.start(TEMPLATE, { text: recipientsCsv(2), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.jobId;
    const firstId = (await rig.outbox.list('outbox')).find((e) => e.to[0] === 'r1@example.org')!.id;
    const first = () => rig.outbox.get(firstId);
    await until(rig.outbox, () => first()?.state === 'sending', 'the first row on the wire');

    // Cancelled while the server has not answered yet: the row on the wire is left to finish.
    expect(await rig.merge.cancel(jobId)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    release();
    // The rig never refreshes on a timer: only the outcome of that attempt can cancel it now.
    await until(rig.outbox, () => first()?.state === 'cancelled', 'the row cancelled after its 451', 5_000);
    expect(job(rig, jobId).counts).toMatchObject({ cancelled: 2, queued: 0, sent: 0 });
    expect(server.messages).toEqual([]);
  });

  it('a row whose 451 is being recorded when its job is cancelled ends cancelled, not queued for good', async () => {
    const { rig, server } = await setUp(
      { limits: { perMinute: 60 } },
      {
        rejectRecipient: (address) =>
          address === 'r1@example.org'
            ? { code: 451, text: '4.7.1 Too many messages, slow down' }
            : undefined,
      },
    );
    // The interleaving under test, made certain: the attempt's outcome ("queued again") has been
    // decided and is being written when Cancel is pressed, so the cancel finds the row still
    // 'sending' and leaves it to that outcome. The write is held (not faked) until the cancel is done.
    const store = (rig.outbox as unknown as { store: { write(e: StoredEntry): Promise<void> } }).store;
    const write = store.write.bind(store);
    let outcomeWriting: () => void = () => undefined;
    const outcomeDecided = new Promise<void>((done) => (outcomeWriting = done));
    let releaseWrite: () => void = () => undefined;
    const writeHeld = new Promise<void>((done) => (releaseWrite = done));
    store.write = async (entry) => {
      if (entry.to[0] === 'r1@example.org' && entry.state === 'queued' && entry.lastError) {
        outcomeWriting();
        await writeHeld;
      }
      return write(entry);
    };
    const started = await rig.merge.start(TEMPLATE, { text: recipientsCsv(2), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.jobId;
    const firstId = (await rig.outbox.list('outbox')).find((e) => e.to[0] === 'r1@example.org')!.id;
    await outcomeDecided;
    expect(rig.outbox.get(firstId)?.state).toBe('sending');
    expect(await rig.merge.cancel(jobId)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    releaseWrite();
    await until(rig.outbox, () => rig.outbox.get(firstId)?.state === 'cancelled', 'the row cancelled', 5_000);
    expect(job(rig, jobId).counts).toMatchObject({ cancelled: 2, queued: 0, sent: 0 });
    expect(server.messages).toEqual([]);
  });

  it('pauses, resumes and cancels a job', async () => {
    const { rig, server } = await setUp({ limits: { perMinute: 60 } });
    const started = await rig.merge.start(TEMPLATE, { text: recipientsCsv(6), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.jobId;
    await until(rig.outbox, () => server.messages.length === 1, 'the first message');
    expect((await rig.merge.pause(jobId)).ok).toBe(true);
    rig.advance(10 * MINUTE);
    await rig.outbox.nextChange(300);
    expect(server.messages).toHaveLength(1);
    expect(job(rig, jobId)).toMatchObject({ state: 'paused', counts: { sent: 1, queued: 5 } });
    expect(job(rig, jobId).pacing.estimatedDoneAt).toBeUndefined();

    expect(await rig.merge.resumeJob(jobId)).toMatchObject({ ok: true, value: { state: 'active' } });
    await until(rig.outbox, () => server.messages.length === 2, 'a message after resume');
    const cancelled = await rig.merge.cancel(jobId);
    expect(cancelled).toMatchObject({
      ok: true,
      value: { state: 'cancelled', counts: { sent: 2, cancelled: 4 } },
    });
    rig.advance(10 * MINUTE);
    await rig.outbox.nextChange(300);
    expect(server.messages).toHaveLength(2);
    expect(await rig.merge.resumeJob(jobId)).toMatchObject({
      ok: false,
      error: { code: 'OUTBOX_WRONG_STATE' },
    });
    expect(await rig.merge.pause('merge-00000000')).toMatchObject({
      ok: false,
      error: { code: 'MERGE_JOB_NOT_FOUND' },
    });
  });

  it('keeps the job in the outbox folder: a new process lists it with its progress and pause state', async () => {
    const { rig: first, server } = await setUp({ limits: { perMinute: 1 } });
    const started = await first.merge.start(TEMPLATE, { text: recipientsCsv(3), fileName: 'l.csv' }, {});
    if (!started.ok) throw new Error(started.error.message);
    await until(first.outbox, () => server.messages.length === 1, 'the first message');
    await first.merge.pause(started.value.jobId);
    await first.close();
    expect((await readdir(join(dir, 'merge'))).sort()).toEqual([
      `${started.value.jobId}.csv`,
      `${started.value.jobId}.json`,
    ]);
    const again = (rig = await openMergeRig(dir, server.port, { limits: { perMinute: 1 } }));
    const [listed] = await again.merge.list();
    expect(listed).toMatchObject({
      id: started.value.jobId,
      state: 'paused',
      counts: { sent: 1, queued: 2 },
    });
    await again.merge.resumeJob(started.value.jobId);
    again.advance(MINUTE);
    await until(again.outbox, () => server.messages.length === 2, 'the second message after the restart');
  });

  it('sends a job another process queued (the CLI while the app runs) at the deliverer’s next look, keeping it', async () => {
    const { rig: app, server } = await setUp();
    const cli = await openMergeRig(dir, server.port, { deliver: false });
    try {
      const started = await cli.merge.start(TEMPLATE, { text: recipientsCsv(3), fileName: 'l.csv' }, {});
      if (!started.ok) throw new Error(started.error.message);
      expect(cli.outbox.delivering).toBe(false);
      await app.merge.refresh();
      await until(
        app.outbox,
        () => app.merge.describe(started.value.jobId)?.state === 'done',
        'the rows sent',
      );
      await app.merge.refresh();
      expect(app.merge.describe(started.value.jobId)).toMatchObject({ state: 'done', counts: { sent: 3 } });
      expect(server.messages).toHaveLength(3);
    } finally {
      await cli.close();
    }
  });
});
