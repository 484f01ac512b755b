import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { recipientsOf, sendThroughOutbox, type TestMessage } from './support/send-through-outbox';

// What a send does on the wire, through the outbox (the only path the product sends by): sign-in,
// the TLS policy (never a password in the clear, never a silent fall back to plaintext), and each
// refusal of the server in plain words.

const PASSWORD = 'correct horse';
const certs = makeTestCertificates();
const running: TestSmtpServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});
async function server(options: Parameters<typeof startSmtpServer>[0]) {
  const s = await startSmtpServer({ certificate: certs.localhost, ...options });
  running.push(s);
  return s;
}
const settings = (port: number, patch: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: 'localhost',
  port,
  security: 'starttls',
  authMethod: 'password',
  username: 'user@example.test',
  allowUnencrypted: false,
  caFile: certs.caFile,
  ...patch,
});
const message = (patch: Partial<TestMessage> = {}): TestMessage => ({
  from: { name: 'Ada Lovelace', address: 'user@example.test' },
  to: ['bob@example.test'],
  subject: 'Grüße from Mailroom',
  text: 'Hello Bob',
  ...patch,
});

describe('sending through the outbox', () => {
  it('sends over STARTTLS after signing in, with attachments, and records the server reply', async () => {
    const s = await server({});
    const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-attach-'));
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'attached words');
    const result = await sendThroughOutbox(
      settings(s.port),
      { password: PASSWORD },
      message({ cc: ['carol@example.test'], html: '<p>Hello <b>Bob</b></p>', attachments: [{ path: file }] }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(recipientsOf(result.entry)).toEqual({
      accepted: ['bob@example.test', 'carol@example.test'],
      rejected: [],
    });
    expect(result.entry.response).toMatch(/^250/);
    expect(s.logins).toEqual(['PLAIN user@example.test']);
    const parsed = await simpleParser(s.messages[0]?.raw ?? '');
    expect(parsed.messageId).toBe(result.entry.messageId);
    expect(parsed.subject).toBe('Grüße from Mailroom');
    expect(parsed.from?.text).toBe('"Ada Lovelace" <user@example.test>');
    expect(parsed.text?.trim()).toBe('Hello Bob');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['notes.txt', 'attached words'],
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to the accepted recipients and reports the refused ones', async () => {
    const s = await server({
      rejectRecipient: (a) => (a.startsWith('ghost') ? { code: 550, text: '5.1.1 No such user' } : undefined),
    });
    const result = await sendThroughOutbox(
      settings(s.port),
      { password: PASSWORD },
      message({ to: ['bob@example.test', 'ghost@example.test'] }),
    );
    expect(result.ok && recipientsOf(result.entry)).toEqual({
      accepted: ['bob@example.test'],
      rejected: ['ghost@example.test'],
    });
    expect(s.messages[0]?.to).toEqual(['bob@example.test']);
  });

  const failures: Array<[string, Parameters<typeof startSmtpServer>[0], Partial<TestMessage>]> = [
    [
      'RECIPIENT_REJECTED',
      {
        rejectRecipient: () => ({
          code: 550,
          text: '5.1.1 <ghost@example.test>: Recipient address rejected: User unknown',
        }),
      },
      { to: ['ghost@example.test'] },
    ],
    [
      'SENDER_REJECTED',
      { rejectSender: () => ({ code: 553, text: '5.7.1 Sender address rejected: not owned by user' }) },
      {},
    ],
    [
      'SERVER_TEMPORARY',
      { rejectRecipient: () => ({ code: 451, text: '4.3.0 Mail server temporarily rejected message' }) },
      {},
    ],
    ['MESSAGE_TOO_LARGE', { size: 2_000 }, { text: 'x'.repeat(10_000) }],
  ];
  for (const [code, serverOptions, patch] of failures) {
    it(`maps the server's refusal to ${code} with plain words`, async () => {
      const s = await server(serverOptions);
      const result = await sendThroughOutbox(settings(s.port), { password: PASSWORD }, message(patch));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(code);
      expect(result.error.hint?.length).toBeGreaterThan(20);
      expect(s.messages).toEqual([]);
      expect(JSON.stringify(result.error)).not.toContain(PASSWORD);
    });
  }

  it('AUTH_FAILED for a wrong password', async () => {
    const s = await server({});
    const result = await sendThroughOutbox(settings(s.port), { password: 'nope' }, message());
    expect(!result.ok && result.error.code).toBe('AUTH_FAILED');
    expect(s.messages).toEqual([]);
  });

  it('refuses to send a password unencrypted unless the user allowed it', async () => {
    const s = await server({ allowInsecureAuth: true });
    const refused = await sendThroughOutbox(
      settings(s.port, { security: 'none' }),
      { password: PASSWORD },
      message(),
    );
    expect(!refused.ok && refused.error.code).toBe('AUTH_REQUIRES_ENCRYPTION');
    expect(s.logins).toEqual([]);
    const allowed = await sendThroughOutbox(
      settings(s.port, { security: 'none', allowUnencrypted: true }),
      { password: PASSWORD },
      message(),
    );
    expect(allowed.ok).toBe(true);
  });

  it('never falls back to plaintext when STARTTLS is missing', async () => {
    const s = await startSmtpServer({ allowInsecureAuth: true });
    running.push(s);
    const result = await sendThroughOutbox(settings(s.port), { password: PASSWORD }, message());
    expect(!result.ok && result.error.code).toBe('STARTTLS_UNAVAILABLE');
    expect(s.logins).toEqual([]);
  });

  it('FILE_NOT_FOUND when an attachment has disappeared, and nothing is queued', async () => {
    const s = await server({});
    const result = await sendThroughOutbox(
      settings(s.port),
      { password: PASSWORD },
      message({ attachments: [{ path: '/nonexistent/mailroom/report.pdf' }] }),
    );
    expect(!result.ok && result.error.code).toBe('FILE_NOT_FOUND');
    expect(!result.ok && result.entry).toBeUndefined();
    expect(s.messages).toEqual([]);
  });
});
