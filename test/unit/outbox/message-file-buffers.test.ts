import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encodeBase64Lines,
  readMessageChunks,
  writeMessageFile,
} from '../../../electron/core/outbox/message-file';

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
  // Around a line (57 bytes) and a block (57 x 3360) of input, and a file of several blocks.
  it.each([0, 1, 56, 57, 58, 20 * 1024, 57 * 3360 - 1, 57 * 3360, 57 * 3360 + 1, 600_000])(
    'encodes a %d-byte attachment exactly as nodemailer does',
    async (size) => {
      const file = join(dir, `data-${size}.bin`);
      writeFileSync(file, randomBytes(size));
      const eml = join(dir, `message-${size}.eml`);
      await writeMessageFile(
        eml,
        fields(file),
        { name: '', address: 'ada@example.org' },
        { date: new Date() },
      );
      expect(bodyOf(readFileSync(eml))).toBe(bodyOf(await nodemailersOwn(file)));
    },
  );

  // Output chunks are handed on by reference and their buffers reused: a file many times the ring
  // (16 blocks) shows a buffer refilled while the stream still held it, before or after hashing.
  it('encodes an attachment many rings long exactly as nodemailer does', { timeout: 20_000 }, async () => {
    const file = join(dir, 'data-rings.bin');
    writeFileSync(file, randomBytes(16 * 1024 * 1024 + 5));
    const eml = join(dir, 'message-rings.eml');
    await writeMessageFile(eml, fields(file), { name: '', address: 'ada@example.org' }, { date: new Date() });
    expect(bodyOf(readFileSync(eml))).toBe(bodyOf(await nodemailersOwn(file)));
  });

  // The encoder writes the base64 itself (no string per block): every remainder of a group and of a
  // line, with and without the line break before it, against Node's own encoding.
  it.each([0, 1, 2, 3, 4, 55, 56, 57, 58, 59, 113, 114, 115, 1000, 57 * 3360 - 2, 57 * 3360 - 1, 57 * 3360])(
    'base64-encodes %d bytes in 76-character lines as Buffer does',
    (length) => {
      const input = randomBytes(length);
      const lines = input.toString('base64').match(/.{1,76}/g) ?? [];
      for (const firstLine of [true, false]) {
        const out = Buffer.alloc(Math.ceil(length / 57) * 78 + 8);
        const written = encodeBase64Lines(input, length, out, firstLine);
        const expected = (firstLine || !lines.length ? '' : '\r\n') + lines.join('\r\n');
        expect(out.toString('latin1', 0, written)).toBe(expected);
        expect(out.subarray(written).every((b) => b === 0)).toBe(true);
      }
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

  it('reads a large message in 256 KB chunks through a ring of 12 buffers', async () => {
    const file = join(dir, 'large.eml');
    const size = 12 * 262_144 + 1000;
    const bytes = randomBytes(size);
    writeFileSync(file, bytes);
    const chunks: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of readMessageChunks(file)) {
      chunks.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
    }
    expect(chunks.map((c) => c.length)).toEqual([...Array<number>(12).fill(262_144), 1000]);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(buffers.size).toBe(12);
  });
});
