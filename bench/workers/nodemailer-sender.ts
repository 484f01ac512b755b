// The throughput baseline: raw nodemailer with a connection pool, no outbox, nothing on disk but the
// attachment it reads. Same server, same TLS checks, same message content, same number of connections
// as Mailroom's outbox uses. Run as `tsx nodemailer-sender.ts '<json config>'`; prints one JSON line.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createTransport } from 'nodemailer';
import { PASSWORD_ENV } from '../support/mta';

interface Config {
  host: string;
  port: number;
  user: string;
  caFile: string;
  count: number;
  textFile: string;
  attachment: string;
  maxConnections: number;
  /** 'none': plain SMTP without AUTH (smtp-sink offers neither STARTTLS nor a working AUTH). */
  security?: 'starttls' | 'none';
  /** 'merge': each message personalised as Mailroom's merge leg renders it (name and number). */
  mode?: 'throughput' | 'merge';
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const password = process.env[PASSWORD_ENV];
if (!password && config.security !== 'none') throw new Error(`${PASSWORD_ENV} is not set`);

async function main(): Promise<void> {
  const transport = createTransport({
    pool: true,
    maxConnections: config.maxConnections,
    maxMessages: 100,
    host: config.host,
    port: config.port,
    secure: false,
    ...(config.security === 'none'
      ? { ignoreTLS: true }
      : {
          requireTLS: true,
          tls: { ca: [readFileSync(config.caFile, 'utf8')], minVersion: 'TLSv1.2' },
          auth: { user: config.user, pass: password ?? '' },
        }),
    logger: false,
  });
  const text = readFileSync(config.textFile, 'utf8');
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: config.count }, (_, i) =>
      transport.sendMail({
        from: { name: 'Bench Sender', address: config.user },
        ...(config.mode === 'merge'
          ? {
              to: { name: `Recipient ${i}`, address: `rcpt${i}@mailroom.test` },
              subject: `Benchmark message ${i}`,
              text: `Dear Recipient ${i},\n\n${text}`,
            }
          : { to: `rcpt${i}@mailroom.test`, subject: `Benchmark message ${i}`, text }),
        attachments: [{ path: config.attachment, filename: 'attachment.bin' }],
      }),
    ),
  );
  const totalMs = performance.now() - started;
  transport.close();
  const failed = results.filter((r) => r.status === 'rejected');
  process.stdout.write(
    `${JSON.stringify({
      totalMs,
      sent: results.length - failed.length,
      failed: failed.length,
      firstError: failed[0]?.status === 'rejected' ? String(failed[0].reason) : undefined,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`nodemailer-sender: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
