import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestCertificates } from '../../harness/test-certificates';

// Sending a large message keeps the sending process's memory flat: what it holds does not grow with
// the message. The bound is a constant far below the message's size (68 MB on the wire), so a path
// that reads the file with fresh buffers (dead ones pile up until V8 collects, about 30 MB at a time)
// or buffers the message fails it. The server reads slowly now and then, so the socket's buffers fill
// and backpressure is real; it hashes what arrives, so a buffer reused too early shows as a mismatch.

const root = resolve(__dirname, '../../..');
const driver = resolve(__dirname, 'support/memory-driver.ts');
const MB = 1024 * 1024;
const ATTACHMENT_BYTES = 48 * MB;
const dir = mkdtempSync(join(tmpdir(), 'mailroom-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += MB) {
    if (!out.write(randomBytes(MB))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((error?: Error | null) => (error ? j(error) : r())));
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Peak {
  rss: number;
  buffers: number;
  heapUsed: number;
}
interface Report {
  state: string;
  size: number;
  id: string;
  baseline: Peak;
  peaks: { compose: Peak; delivery: Peak };
  maxRss: number;
}

describe('memory while a large message is composed and sent', () => {
  it('stays flat: growth bounded by a constant, not by the message size', { timeout: 60_000 }, async () => {
    const attachment = join(dir, 'large.bin');
    await writeRandomFile(attachment, ATTACHMENT_BYTES);
    const certs = makeTestCertificates();
    const received: { size: number; sha256: string }[] = [];
    const server = new SMTPServer({
      key: certs.localhost.key,
      cert: certs.localhost.cert,
      authOptional: true,
      disabledCommands: ['AUTH'],
      logger: false,
      closeTimeout: 200,
      size: 512 * MB,
      onData(stream, _session, callback) {
        const hash = createHash('sha256');
        let size = 0;
        let chunks = 0;
        stream.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          size += chunk.length;
          if (++chunks % 64 === 0) {
            stream.pause();
            setTimeout(() => stream.resume(), 5);
          }
        });
        stream.on('end', () => {
          received.push({ size, sha256: hash.digest('hex') });
          callback(null);
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as AddressInfo).port;
    try {
      const outboxDir = join(dir, 'outbox');
      const child = spawn(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', driver, outboxDir, String(port), certs.caFile, attachment],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code, err).toBe(0);
      const report = JSON.parse(out.trim()) as Report;
      expect(report.state).toBe('sent');
      expect(report.size).toBeGreaterThan(ATTACHMENT_BYTES * 1.3);
      // Every byte arrived as stored: the send read the file, nothing overwrote a chunk in flight.
      expect(received).toHaveLength(1);
      expect(received[0]!.size).toBe(report.size);
      expect(received[0]!.sha256).toBe(await sha256OfFile(join(outboxDir, `${report.id}.eml`)));

      const growth = (p: Peak) => ({
        rss: p.rss - report.baseline.rss,
        buffers: p.buffers - report.baseline.buffers,
      });
      const compose = growth(report.peaks.compose);
      const delivery = growth(report.peaks.delivery);
      const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
      console.info(
        `large message (${mb(report.size)}): compose RSS +${mb(compose.rss)}, buffers +${mb(compose.buffers)}; ` +
          `delivery RSS +${mb(delivery.rss)}, buffers +${mb(delivery.buffers)}`,
      );
      // Delivery holds a ring of 12 read buffers (3 MB, most of them compose's) plus what the sockets keep, the file check one
      // buffer; the compose ring is still there until V8's next full collection. Read with fresh
      // buffers instead, this was 25-30 MB.
      expect(delivery.buffers).toBeLessThan(8 * MB);
      // Compose encodes the attachment through a ring of 16 output buffers (4 MB, handed to the send
      // afterwards); nodemailer's own encoder, with three fresh buffers per chunk, left 6-7 MB of dead
      // ones here.
      expect(compose.buffers).toBeLessThan(6 * MB);
      // The whole process, lifetime peak included: 10-14 MB when this test runs alone, and the same for
      // any size. Most of it is V8's heap (how much of its young generation gets touched depends on
      // the garbage made per chunk, and on how far collection falls behind on a loaded machine: 19 MB
      // once with the whole suite running beside it) and the two rings (6 MB). Bounded by the
      // product's target for a 100 MB attachment (bench/, under 24 MB); before the rings, 40-45 MB.
      expect(Math.max(report.maxRss, report.peaks.delivery.rss) - report.baseline.rss).toBeLessThan(24 * MB);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
