import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../support/context';
import { writeThroughputFixtures } from '../support/fixtures';
import { ratioText, type BenchResult } from '../support/report';
import { startSmtpSink } from '../support/smtp-sink';
import { formatSummaryMs, messageRate, summarize } from '../support/stats';
import { CONNECTIONS, mailroomPhases, runSenderPairs, type SenderPairs } from '../support/senders';

/**
 * The client-side limit: the throughput benchmark's messages against Postfix's smtp-sink, which
 * accepts and discards them, so what is left is what each client costs itself. Mailroom's outbox vs a
 * pooled nodemailer transport, interleaved, a fresh process per run.
 */
export async function sinkBenchmark(ctx: BenchContext, count: number): Promise<BenchResult> {
  const dir = join(ctx.workDir, 'sink');
  mkdirSync(dir, { recursive: true });
  const fixtures = await writeThroughputFixtures(dir);
  const sink = await startSmtpSink();
  const runs = 3;
  let pairs: SenderPairs;
  try {
    const base = {
      host: sink.host,
      port: sink.port,
      user: 'bench@mailroom.test',
      caFile: '',
      count,
      ...fixtures,
      maxConnections: CONNECTIONS,
      security: 'none',
    };
    pairs = await runSenderPairs(ctx, {
      label: 'sink',
      what: `${count} messages to smtp-sink`,
      runs,
      count,
      dir,
      mailroom: { ...base, mode: 'throughput' },
      nodemailer: base,
    });
  } finally {
    await sink.stop();
  }
  const { mailroom, nodemailer } = pairs;
  const m = summarize(mailroom);
  const n = summarize(nodemailer);
  const ratio = n.median / m.median;
  const rate = (ms: number) => messageRate(count, ms);
  return {
    title: '1b. Throughput, client-side limit (smtp-sink)',
    ratios: [
      {
        comparison: 'Mailroom outbox vs nodemailer pool, against smtp-sink',
        ratio: ratioText(ratio),
        target: '',
        note: `${count} messages each, ${runs} runs, medians; plain SMTP, no AUTH (see notes)`,
      },
    ],
    measurements: [
      {
        what: `Mailroom outbox, ${count} messages`,
        value: formatSummaryMs(m),
        note: `${rate(m.median)}; ${mailroomPhases(pairs)}`,
      },
      { what: `nodemailer pool, ${count} messages`, value: formatSummaryMs(n), note: rate(n.median) },
    ],
    notes: [
      "Postfix's smtp-sink accepts every message and discards it, so the server costs next to nothing and the ratio is what each client costs itself (the throughput benchmark's message and drafts, same 2 connections, all handed over at once, timed from the first sendDraft to the last 250).",
      'smtp-sink offers no STARTTLS and answers AUTH with 250 instead of 235, so both sides talk plain SMTP without AUTH (Mailroom: security none, authentication none; nodemailer: ignoreTLS, no auth). TLS and AUTH are in the throughput benchmark against Postfix.',
    ],
  };
}
