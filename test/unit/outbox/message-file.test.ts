import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
