import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSinkServer } from './support/sink-server';

// A 100 MB attachment is written to the outbox and sent by streaming, so the sending process's memory
// stays flat. Measured in a child process (the driver), which reports its RSS before and its peak.

const root = resolve(__dirname, '../../..');
const driver = resolve(__dirname, 'support/outbox-driver.ts');
const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'mailroom-large-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = randomBytes(MB);
  for (let written = 0; written < bytes; written += MB) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((error?: Error | null) => (error ? j(error) : r())));
}

describe('outbox with a large attachment', () => {
  it(
    'sends a 100 MB attachment with the process RSS growing less than 64 MB',
    { timeout: 150_000 },
    async () => {
      const attachment = join(dir, 'large.bin');
      await writeRandomFile(attachment, 100 * MB);
      const server = await startSinkServer();
      try {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', driver, 'big', join(dir, 'outbox'), String(server.port), attachment],
          {
            cwd: root,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        const code = await new Promise<number | null>((r) => child.once('exit', r));
        expect(code, err).toBe(0);
        const report = JSON.parse(out.trim()) as {
          baseline: number;
          peakSampled: number;
          maxRss: number;
          state: string;
          size: number;
          messageId: string;
          progressEvents: number;
        };
        expect(report.state).toBe('sent');
        // base64 makes 100 MB about 137 MB on the wire; all of it arrived.
        expect(report.size).toBeGreaterThan(135 * MB);
        const [received] = server.messages;
        expect(received?.messageId).toBe(report.messageId);
        expect(received?.size).toBe(report.size);
        expect(report.progressEvents).toBeGreaterThan(0);
        // maxRSS is the lifetime peak, so peak - baseline over-counts rather than under-counts.
        const growth = Math.max(report.peakSampled, report.maxRss) - report.baseline;
        console.info(
          `outbox large message: RSS ${Math.round(report.baseline / MB)} MB before, grew ${Math.round(growth / MB)} MB`,
        );
        expect(growth).toBeLessThan(64 * MB);
      } finally {
        await server.stop();
      }
    },
  );
});
