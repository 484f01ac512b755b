import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxSettings } from '../../../shared/domain/outbox';
import { Outbox, type EnqueueRequest } from '../../../electron/core/outbox/outbox';
import { startSinkServer, type SinkOptions, type SinkServer } from './support/sink-server';
import { plainAccounts } from './support/plain-accounts';
import { untilEntry } from './support/until-entry';
import { freePort } from '../../harness/free-port';

// The outbox against a real SMTP server (smtp-server on 127.0.0.1): what arrives, when, and what the
// user is told when it does not.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sink(options: SinkOptions = {}): Promise<SinkServer> {
  const server = await startSinkServer(options);
  cleanups.push(() => server.stop());
  return server;
}

function openOutbox(port: number, settings: Partial<OutboxSettings> = {}, dir?: string): Outbox {
  const where = dir ?? mkdtempSync(join(tmpdir(), 'mailroom-outbox-'));
  if (!dir) cleanups.push(() => rmSync(where, { recursive: true, force: true }));
  const outbox = new Outbox({
    dir: where,
    accounts: plainAccounts(port),
    settings: () => ({ undoDelayMs: 0, retryBaseMs: 50, retryCapMs: 200, ...settings }),
    log: () => undefined,
  });
  cleanups.push(() => outbox.close());
  return outbox;
}

function message(overrides: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    accountId: 'acct',
    to: ['charles@example.test'],
    cc: [],
    bcc: [],
    subject: 'Notes on the Analytical Engine',
    text: 'The engine weaves algebraic patterns.\n',
    attachments: [],
    ...overrides,
  };
}

const until = untilEntry;

async function enqueue(outbox: Outbox, overrides: Partial<EnqueueRequest> = {}): Promise<OutboxEntry> {
  const queued = await outbox.enqueue(message(overrides));
  if (!queued.ok) throw new Error(queued.error.message);
  return queued.value;
}

describe('outbox delivery against a real SMTP server', () => {
  it('sends exactly the stored bytes, with Bcc in the envelope only', async () => {
    const server = await sink({ keepRaw: true });
    const outbox = openOutbox(server.port);
    const queued = await enqueue(outbox, {
      cc: ['grace@example.test'],
      bcc: ['secret@example.test'],
      displayNames: { 'charles@example.test': 'Babbage, Charles' },
    });
    const sent = await until(outbox, queued.id, (e) => e.state === 'sent');

    expect(sent.response).toMatch(/^250/);
    expect(server.messages).toHaveLength(1);
    const received = server.messages[0]!;
    expect(received.to.sort()).toEqual(['charles@example.test', 'grace@example.test', 'secret@example.test']);
    expect(received.messageId).toBe(sent.messageId);
    const stored = readFileSync(join(outbox.directory, `${sent.id}.eml`));
    expect(received.raw?.equals(stored)).toBe(true);
    const headers = stored.toString('utf8').split('\r\n\r\n')[0]!;
    expect(headers).not.toMatch(/secret@example\.test/);
    expect(headers).not.toMatch(/^bcc:/im);
    expect(headers).toContain('"Babbage, Charles" <charles@example.test>');
  });

  it('sends many queued messages through one pooled connection', async () => {
    const server = await sink();
    const outbox = openOutbox(server.port, { maxConnectionsPerAccount: 1 });
    const entries = await Promise.all(
      Array.from({ length: 20 }, (_, i) => enqueue(outbox, { subject: `Batch ${i}` })),
    );
    await Promise.all(entries.map((e) => until(outbox, e.id, (x) => x.state === 'sent')));
    expect(server.messages).toHaveLength(20);
    expect(server.connections).toBe(1);
  });

  it('retries after 451 and 421 replies and then delivers', async () => {
    const replies: Record<number, { code: number; text: string }> = {
      1: { code: 451, text: '4.3.0 Temporary local problem, try again' },
      2: { code: 421, text: '4.7.0 Too many connections, try later' },
    };
    const server = await sink({ dataReply: (attempt) => replies[attempt] });
    const outbox = openOutbox(server.port);
    const errors: string[] = [];
    outbox.subscribe(({ entry }) => {
      if (entry?.state === 'queued' && entry.lastError)
        errors.push(`${entry.lastError.code} ${entry.lastError.message}`);
    });
    const queued = await enqueue(outbox);
    const sent = await until(outbox, queued.id, (e) => e.state === 'sent');
    expect(sent.attempts).toBe(3);
    expect(server.messages.map((m) => m.messageId)).toEqual([sent.messageId]);
    expect(errors[0]).toMatch(/^SERVER_TEMPORARY .*451 4\.3\.0/);
    expect(errors.some((e) => /421/.test(e))).toBe(true);
  });

  it('keeps the server’s words when it refuses the next message on a connection it kept open', async () => {
    // A server that allows so many messages per connection answers the next MAIL FROM with 421 and
    // hangs up: nothing of that message was sent, and the user is told what the server said.
    const server = await sink({
      mailFromReply: ({ connection, message }) =>
        connection === 1 && message === 2
          ? { code: 421, text: '4.7.0 Too many messages on this connection' }
          : undefined,
    });
    const outbox = openOutbox(server.port, { maxConnectionsPerAccount: 1 });
    const errors: string[] = [];
    outbox.subscribe(({ entry }) => {
      if (entry?.state === 'queued' && entry.lastError)
        errors.push(`${entry.lastError.code} ${entry.lastError.message}`);
    });
    const first = await enqueue(outbox, { subject: 'First' });
    await until(outbox, first.id, (e) => e.state === 'sent');
    const second = await enqueue(outbox, { subject: 'Second' });
    const sent = await until(outbox, second.id, (e) => e.state === 'sent');

    expect(sent.attempts).toBe(2);
    expect(server.connections).toBe(2);
    expect(server.messages.map((m) => m.messageId)).toEqual([first.messageId, sent.messageId]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^SERVER_TEMPORARY .*\(at MAIL FROM\).*"421 4\.7\.0 Too many messages on this connection"/,
    );
    expect(errors[0]).not.toMatch(/unexpectedly|maximum number of retries/i);
  });

  it('fails a 550 at once with the server’s reply and a hint', async () => {
    const server = await sink({ dataReply: () => ({ code: 550, text: '5.7.1 Message rejected as spam' }) });
    const outbox = openOutbox(server.port);
    const queued = await enqueue(outbox);
    const failed = await until(outbox, queued.id, (e) => e.state === 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError?.code).toBe('MESSAGE_REJECTED');
    expect(failed.lastError?.message).toContain('550 5.7.1 Message rejected as spam');
    expect(failed.lastError?.hint).toBeTruthy();
    expect(outbox.pendingCount()).toBe(1);
  });

  it('reports a partial recipient rejection per recipient and delivers to the rest', async () => {
    const server = await sink({
      rejectRecipient: (a) =>
        a.startsWith('nobody@') ? { code: 550, text: '5.1.1 No such user here' } : undefined,
    });
    const outbox = openOutbox(server.port);
    const queued = await enqueue(outbox, { to: ['charles@example.test', 'nobody@example.test'] });
    const sent = await until(outbox, queued.id, (e) => e.state === 'sent');
    expect(server.messages[0]?.to).toEqual(['charles@example.test']);
    expect(sent.recipients).toEqual([
      { address: 'charles@example.test', accepted: true },
      {
        address: 'nobody@example.test',
        accepted: false,
        reply: expect.stringContaining('550 5.1.1 No such user here'),
      },
    ]);
  });

  it('keeps a message queued while the server is down and delivers it when the network comes back (kick)', async () => {
    const port = await freePort();
    // A long backoff: only kick() (the host's "online again" trigger) can make this prompt.
    const outbox = openOutbox(port, { retryBaseMs: 600_000, retryCapMs: 600_000 });
    const queued = await enqueue(outbox);
    const waiting = await until(outbox, queued.id, (e) => e.state === 'queued' && e.attempts === 1);
    expect(waiting.lastError?.code).toBe('CONNECTION_REFUSED');
    expect(Date.parse(waiting.nextAttemptAt ?? '')).toBeGreaterThan(Date.now() + 60_000);

    const server = await sink({ port });
    await outbox.kick();
    const sent = await until(outbox, queued.id, (e) => e.state === 'sent');
    expect(server.messages.map((m) => m.messageId)).toEqual([sent.messageId]);
  });

  it('says the server may be down, not that the port is wrong, when an account that has sent is refused', async () => {
    const server = await sink();
    const outbox = openOutbox(server.port, { retryBaseMs: 600_000, retryCapMs: 600_000 });
    const first = await enqueue(outbox);
    await until(outbox, first.id, (e) => e.state === 'sent');
    await server.stop();

    const second = await enqueue(outbox);
    const waiting = await until(outbox, second.id, (e) => e.state === 'queued' && e.attempts === 1);
    expect(waiting.lastError?.code).toBe('CONNECTION_REFUSED');
    expect(waiting.lastError?.hint).toMatch(/server may be down or your network may be blocking it/);
    expect(waiting.lastError?.hint).not.toMatch(/port number/);
  });

  it('undo: a message cancelled within the delay is never sent, and edit returns what was typed', async () => {
    const server = await sink();
    const outbox = openOutbox(server.port, { undoDelayMs: 400 });
    const first = await enqueue(outbox, { subject: 'Oops', bcc: ['hidden@example.test'] });
    expect(first.holdReason).toBe('undo');
    const taken = await outbox.takeBack(first.id);
    expect(taken).toMatchObject({
      ok: true,
      value: { fields: { subject: 'Oops', to: ['charles@example.test'], bcc: ['hidden@example.test'] } },
    });
    expect(outbox.get(first.id)?.state).toBe('cancelled');

    const second = await enqueue(outbox, { subject: 'Fixed' });
    await until(outbox, second.id, (e) => e.state === 'sent');
    expect(server.messages.map((m) => m.messageId)).toEqual([second.messageId]);
  });

  it('send later survives a restart and goes out at the chosen time, not before', async () => {
    const server = await sink();
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-outbox-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const before = openOutbox(server.port, {}, dir);
    const sendAt = new Date(Date.now() + 700).toISOString();
    const queued = await enqueue(before, { sendAt });
    expect(queued.holdReason).toBe('scheduled');
    await before.close();

    const after = openOutbox(server.port, {}, dir);
    const [restored] = await after.list('outbox');
    expect(restored).toMatchObject({ id: queued.id, state: 'queued', holdUntil: sendAt });
    const sent = await until(after, queued.id, (e) => e.state === 'sent');
    expect(Date.parse(sent.sentAt ?? '')).toBeGreaterThanOrEqual(Date.parse(sendAt));
    expect(server.messages).toHaveLength(1);
  });

  it('keeps sent history with the reply; resend goes out as a new message with the same content', async () => {
    const server = await sink({ keepRaw: true });
    const outbox = openOutbox(server.port);
    const queued = await enqueue(outbox, { subject: 'Minutes' });
    const sent = await until(outbox, queued.id, (e) => e.state === 'sent');
    const history = await outbox.list('sent');
    expect(history.map((e) => [e.subject, e.response?.slice(0, 3)])).toEqual([['Minutes', '250']]);
    const file = await outbox.messageFile(sent.id);
    expect(file).toMatchObject({ ok: true, value: { fileName: 'Minutes.eml' } });

    const again = await outbox.resend(sent.id);
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.messageId).not.toBe(sent.messageId);
    await until(outbox, again.value.id, (e) => e.state === 'sent');
    const [one, two] = server.messages;
    expect(two?.messageId).toBe(again.value.messageId);
    const body = (m: typeof one) => m!.raw!.toString('utf8').split('\r\n\r\n').slice(1).join('\r\n\r\n');
    expect(body(two)).toBe(body(one));
  });

  it('with keepSentMessages off, drops the .eml once sent but keeps the metadata', async () => {
    const server = await sink();
    const outbox = openOutbox(server.port, { keepSentMessages: false });
    const queued = await enqueue(outbox);
    const sent = await until(outbox, queued.id, (e) => e.state === 'sent');
    expect(sent.hasMessageFile).toBe(false);
    expect(existsSync(join(outbox.directory, `${sent.id}.eml`))).toBe(false);
    expect((await outbox.list('sent')).map((e) => e.id)).toEqual([sent.id]);
  });

  it('refuses to queue a message whose attachment is missing, saying which file', async () => {
    const server = await sink();
    const outbox = openOutbox(server.port);
    const result = await outbox.enqueue(message({ attachments: [{ path: '/nonexistent/report.pdf' }] }));
    expect(result).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    if (!result.ok) expect(result.error.message).toContain('/nonexistent/report.pdf');
    expect(await outbox.list('outbox')).toEqual([]);
  });
});
