import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, describe, expect, it } from 'vitest';
import { copyMessageWithNewIdentity, writeMessageFile } from '../../../electron/core/outbox/message-file';

const dir = mkdtempSync(join(tmpdir(), 'mailroom-message-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fields = {
  accountId: 'a',
  to: ['charles@example.test'],
  cc: [],
  bcc: ['hidden@example.test'],
  subject: 'Grüße aus London',
  text: 'Line one\nLine two\n',
  attachments: [],
};

describe('the stored RFC 5322 message', () => {
  it('has CRLF lines, an encoded UTF-8 subject, and no Bcc header, while the envelope keeps the Bcc', async () => {
    const path = join(dir, 'one.eml');
    const built = await writeMessageFile(
      path,
      fields,
      { name: 'Ada Lovelace', address: 'ada@example.test' },
      { date: new Date() },
    );
    const text = readFileSync(path, 'latin1');
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).not.toMatch(/^bcc:/im);
    expect(text).not.toContain('hidden@example.test');
    expect(text).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
    expect(text).toContain(`Message-ID: ${built.messageId}`);
    expect(built.envelope).toEqual({
      from: 'ada@example.test',
      to: ['charles@example.test', 'hidden@example.test'],
    });
    expect(built.size).toBe(readFileSync(path).length);
    // Written atomically: no temporary file is left next to it.
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('resend copies the body unchanged under a new Message-ID and Date', async () => {
    const source = join(dir, 'two.eml');
    const built = await writeMessageFile(
      source,
      fields,
      { name: '', address: 'ada@example.test' },
      { date: new Date(0) },
    );
    const target = join(dir, 'three.eml');
    await copyMessageWithNewIdentity(
      source,
      target,
      '<new@example.test>',
      new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
    );
    const [oldHead = '', ...oldBody] = readFileSync(source, 'latin1').split('\r\n\r\n');
    const [newHead = '', ...newBody] = readFileSync(target, 'latin1').split('\r\n\r\n');
    expect(newBody.join('\r\n\r\n')).toBe(oldBody.join('\r\n\r\n'));
    expect(newHead).toContain('Message-ID: <new@example.test>');
    expect(newHead).toContain('Date: Wed, 02 Jan 2030 03:04:05 +0000');
    expect(newHead).not.toContain(built.messageId);
    expect(newHead.match(/^(Message-ID|Date):/gim)).toHaveLength(2);
    expect(oldHead).toContain(built.messageId);
  });

  // The line breaks are made CRLF by our own stage, not nodemailer's newline option: the message must
  // be byte for byte what nodemailer makes with it, for text in each of its encodings.
  it.each([
    ['plain ASCII with LF, CRLF and CR breaks', 'one\ntwo\r\nthree\rfour\n\n.dot line\n', undefined],
    ['long lines (quoted-printable)', `${'x'.repeat(120)}\n${'é'.repeat(3)} and more\n`, undefined],
    ['mostly non-ASCII (base64)', 'Ελληνικά\nκείμενο\r\nεδώ\n', undefined],
    ['text and HTML', 'plain\nversion\n', '<p>rich\nversion</p>\r\n<p>two</p>\n'],
  ])('is what nodemailer’s newline: windows makes, for %s', async (_what, text, html) => {
    const attachment = join(dir, 'notes.txt');
    writeFileSync(attachment, 'an attached\nfile\n');
    const path = join(dir, 'breaks.eml');
    const date = new Date('2026-12-01T12:00:00Z');
    const built = await writeMessageFile(
      path,
      {
        ...fields,
        bcc: [],
        text,
        ...(html ? { html } : {}),
        attachments: [{ path: attachment, filename: 'notes.txt' }],
      },
      { name: 'Ada', address: 'ada@example.test' },
      { date },
    );
    const theirs = await new MailComposer({
      from: { name: 'Ada', address: 'ada@example.test' },
      to: ['charles@example.test'],
      subject: fields.subject,
      text,
      ...(html ? { html } : {}),
      messageId: built.messageId,
      date,
      newline: 'windows',
      attachments: [{ path: attachment, filename: 'notes.txt' }],
    })
      .compile()
      .build();
    const ours = readFileSync(path);
    // Boundaries are random: made alike before comparing.
    const comparable = (eml: Buffer) =>
      eml.toString('latin1').replace(/_NmP-[0-9a-f]+-Part_/g, '_NmP-X-Part_');
    expect(comparable(ours)).toBe(comparable(theirs));
    expect(ours.toString('latin1')).not.toMatch(/[^\r]\n/);
  });
});
