import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, describe, expect, it } from 'vitest';
import { readMessageChunks, writeMessageFile } from '../../../electron/core/outbox/message-file';

// Compose and send read through buffers sized to the file: a thousand small messages must not each
// take a large message's buffers. The bytes stay exactly what nodemailer writes, whatever the size.

const dir = mkdtempSync(join(tmpdir(), 'mailroom-message-buffers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fields = (path: string) => ({
  accountId: 'a',
  to: ['bob@example.org'],
  cc: [],
  bcc: [],
  subject: 'Sizes',
  text: 'See the file.',
  attachments: [{ path, filename: 'data.bin' }],
});

/** The body after the headers, with nodemailer's boundary names made comparable. */
function bodyOf(eml: Buffer): string {
  const text = eml.toString('latin1');
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  const boundary = /^--(\S+)/.exec(body)?.[1] ?? '';
  return body.split(boundary).join('BOUNDARY');
}

async function nodemailersOwn(path: string): Promise<Buffer> {
  const node = new MailComposer({
    from: 'ada@example.org',
    to: 'bob@example.org',
    subject: 'Sizes',
    text: 'See the file.',
    newline: 'windows',
    attachments: [{ path, filename: 'data.bin' }],
  }).compile();
  return node.build();
}

describe('message file buffers', () => {
  // Around a line (57 bytes) and a block (57 x 1150) of input, and a file of several blocks.
  it.each([0, 1, 56, 57, 58, 20 * 1024, 57 * 1150 - 1, 57 * 1150, 57 * 1150 + 1, 200_000])(
    'encodes a %d-byte attachment exactly as nodemailer does',
    async (size) => {
      const file = join(dir, `data-${size}.bin`);
      writeFileSync(file, randomBytes(size));
      const eml = join(dir, `message-${size}.eml`);
      await writeMessageFile(eml, fields(file), { name: '', address: 'ada@example.org' }, { date: new Date() });
      expect(bodyOf(readFileSync(eml))).toBe(bodyOf(await nodemailersOwn(file)));
    },
  );

  it('sends a small message from one buffer of its own size', async () => {
    const file = join(dir, 'small.eml');
    const bytes = randomBytes(40_000);
    writeFileSync(file, bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of readMessageChunks(file)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of readMessageChunks(file)) buffers.add(chunk.buffer);
    expect([...buffers].map((b) => b.byteLength)).toEqual([40_000]);
  });

  it('reads a large message in 64 KB chunks', async () => {
    const file = join(dir, 'large.eml');
    const bytes = randomBytes(300_000);
    writeFileSync(file, bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of readMessageChunks(file)) chunks.push(Buffer.from(chunk));
    expect(chunks.map((c) => c.length)).toEqual([65536, 65536, 65536, 65536, 300_000 - 4 * 65536]);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });
});
