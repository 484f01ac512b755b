import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import LeWindows from 'nodemailer/lib/mime-node/le-windows';
import { describe, expect, it } from 'vitest';
import { crlfLineBreaks, withCrlfLineBreaks } from '../../../electron/core/outbox/crlf-line-breaks';

// The composed message's line breaks are made CRLF by our own stage instead of nodemailer's
// newline: 'windows' (its LeWindows stream): the bytes must be the same whatever the input and
// however it is cut into chunks.

async function through(stream: NodeJS.ReadWriteStream, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(Buffer.from(chunk)));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  Readable.from(chunks, { objectMode: false }).pipe(stream);
  await ended;
  return Buffer.concat(out);
}

/** A seeded generator, so a failing case can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

/** Bytes from CR, LF, '.' and a letter, cut at random places into chunks of up to `maxChunk`. */
function caseOf(next: () => number, length: number, maxChunk: number): Buffer[] {
  const alphabet = [0x0d, 0x0a, 0x2e, 0x61];
  const bytes = Buffer.from(Array.from({ length }, () => alphabet[Math.floor(next() * 4)]!));
  const chunks: Buffer[] = [];
  for (let at = 0; at < length;) {
    const size = 1 + Math.floor(next() * maxChunk);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('CRLF line breaks for the composed message', () => {
  it('gives the same bytes as nodemailer’s newline: windows for any input, however it is chunked', async () => {
    const next = random(20261201);
    for (let n = 0; n < 400; n++) {
      const chunks = caseOf(next, Math.floor(next() * 40), 1 + Math.floor(next() * 8));
      const expected = await through(new LeWindows(), chunks);
      expect(
        await through(crlfLineBreaks(), chunks),
        JSON.stringify(Buffer.concat(chunks).toString('latin1')),
      ).toEqual(expected);
    }
  });

  it('gives the same bytes for large chunks, passed through, and small ones, gathered, side by side', async () => {
    const next = random(7);
    // 64 KB is where a chunk passes on its own: around it, and many small chunks before a large one.
    for (const [length, maxChunk] of [
      [200_000, 70_000],
      [200_000, 300],
      [140_000, 65_536],
    ] as const) {
      const chunks = caseOf(next, length, maxChunk);
      expect((await through(crlfLineBreaks(), chunks)).equals(await through(new LeWindows(), chunks))).toBe(
        true,
      );
    }
  });

  it('returns the same buffer, untouched, when every line already ends in CRLF', () => {
    const lines = Buffer.from('From: a@example.test\r\nSubject: x\r\n\r\nbody\r\n');
    expect(withCrlfLineBreaks(lines, undefined)).toBe(lines);
    // A LF at the start follows the CR that ended the chunk before.
    const rest = Buffer.from('\nnext\r\n');
    expect(withCrlfLineBreaks(rest, 0x0d)).toBe(rest);
    expect(withCrlfLineBreaks(rest, 0x61).toString('latin1')).toBe('\r\nnext\r\n');
  });

  it('changes nothing but the bare LFs of binary-looking content, in one large chunk', async () => {
    const bytes = randomBytes(100_000);
    const out = withCrlfLineBreaks(bytes, undefined);
    const bare = [...bytes].filter((b, i) => b === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)).length;
    expect(bare).toBeGreaterThan(0);
    expect(out.length).toBe(bytes.length + bare);
    expect(out.equals(await through(new LeWindows(), [bytes]))).toBe(true);
  });
});
