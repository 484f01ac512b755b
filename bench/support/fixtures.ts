import { randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMessageFile } from '../../electron/core/outbox/message-file';
import { MB } from './stats';

/** About `bytes` of plain prose-like ASCII text in lines of 72 characters. */
export function writeTextBody(path: string, bytes: number): void {
  const words = ['mail', 'queue', 'server', 'message', 'relay', 'deliver', 'outbox', 'submit', 'the', 'and'];
  const lines: string[] = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    let line = '';
    while (line.length < 72) line += `${words[(i++ * 7) % words.length]} `;
    lines.push(line.trimEnd());
    size += line.length + 1;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Random bytes (incompressible, base64-encoded on the wire), written in 1 MB chunks. */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Math.min(bytes, MB);
  for (let written = 0; written < bytes; written += chunk) {
    if (!out.write(randomBytes(Math.min(chunk, bytes - written)))) {
      await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((r, j) => out.end((error?: Error | null) => (error ? j(error) : r())));
}

/**
 * The message the per-process peers (msmtp, swaks) send, built by the same MailComposer code the
 * outbox uses, so every contestant puts the same bytes on the wire.
 */
export async function writeEml(
  dir: string,
  name: string,
  options: { from: string; text: string; attachment: string },
): Promise<string> {
  const path = join(dir, name);
  await writeMessageFile(
    path,
    {
      accountId: 'bench',
      to: ['peer@mailroom.test'],
      cc: [],
      bcc: [],
      subject: 'Benchmark message',
      text: options.text,
      attachments: [{ path: options.attachment, filename: 'attachment.bin' }],
    },
    { name: 'Bench Sender', address: options.from },
    { date: new Date() },
  );
  return path;
}

/** The throughput benchmarks' message: 10 KB of text and a 20 KB random attachment. */
export interface ThroughputFixtures {
  textFile: string;
  attachment: string;
}

export async function writeThroughputFixtures(dir: string): Promise<ThroughputFixtures> {
  const textFile = join(dir, 'body.txt');
  const attachment = join(dir, 'attachment.bin');
  writeTextBody(textFile, 10 * 1024);
  await writeRandomFile(attachment, 20 * 1024);
  return { textFile, attachment };
}
