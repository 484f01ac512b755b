import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { sendMail, type OutgoingMessage } from '../../../electron/core/smtp/send-mail';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';

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
const message = (patch: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  from: { name: 'Ada Lovelace', address: 'user@example.test' },
  to: ['bob@example.test'],
  subject: 'Grüße from Mailroom',
  text: 'Hello Bob',
  ...patch,
});

describe('sendMail', () => {
  it('sends over STARTTLS after signing in, with attachments, and returns the receipt', async () => {
    const s = await server({});
    const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-attach-'));
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'attached words');
    const result = await sendMail(
      settings(s.port),
      { password: PASSWORD },
      message({
        cc: ['carol@example.test'],
        html: '<p>Hello <b>Bob</b></p>',
        attachments: [{ path: file }],
        messageId: '<fixed-id@example.test>',
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value).toMatchObject({
      messageId: '<fixed-id@example.test>',
      accepted: ['bob@example.test', 'carol@example.test'],
      rejected: [],
    });
    expect(result.value.response).toMatch(/^250/);
    expect(s.logins).toEqual(['PLAIN user@example.test']);
    const parsed = await simpleParser(s.messages[0]?.raw ?? '');
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
    const result = await sendMail(
      settings(s.port),
      { password: PASSWORD },
      message({ to: ['bob@example.test', 'ghost@example.test'] }),
    );
    expect(result.ok && result.value).toMatchObject({
      accepted: ['bob@example.test'],
      rejected: ['ghost@example.test'],
    });
    expect(s.messages[0]?.to).toEqual(['bob@example.test']);
  });

  const failures: Array<[string, Parameters<typeof startSmtpServer>[0], Partial<OutgoingMessage>]> = [
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
      const result = await sendMail(settings(s.port), { password: PASSWORD }, message(patch));
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
    const result = await sendMail(settings(s.port), { password: 'nope' }, message());
    expect(!result.ok && result.error.code).toBe('AUTH_FAILED');
    expect(s.messages).toEqual([]);
  });

  it('refuses to send a password unencrypted unless the user allowed it', async () => {
    const s = await server({ allowInsecureAuth: true });
    const refused = await sendMail(settings(s.port, { security: 'none' }), { password: PASSWORD }, message());
    expect(!refused.ok && refused.error.code).toBe('AUTH_REQUIRES_ENCRYPTION');
    expect(s.logins).toEqual([]);
    const allowed = await sendMail(
      settings(s.port, { security: 'none', allowUnencrypted: true }),
      { password: PASSWORD },
      message(),
    );
    expect(allowed.ok).toBe(true);
  });

  it('never falls back to plaintext when STARTTLS is missing', async () => {
    const s = await startSmtpServer({ allowInsecureAuth: true });
    running.push(s);
    const result = await sendMail(settings(s.port), { password: PASSWORD }, message());
    expect(!result.ok && result.error.code).toBe('STARTTLS_UNAVAILABLE');
    expect(s.logins).toEqual([]);
  });

  it('FILE_NOT_FOUND when an attachment has disappeared', async () => {
    const s = await server({});
    const result = await sendMail(
      settings(s.port),
      { password: PASSWORD },
      message({ attachments: [{ path: '/nonexistent/mailroom/report.pdf' }] }),
    );
    expect(!result.ok && result.error.code).toBe('FILE_NOT_FOUND');
    expect(s.messages).toEqual([]);
  });
});
