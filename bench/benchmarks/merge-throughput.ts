import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../support/context';
import { writeThroughputFixtures } from '../support/fixtures';
import { ratioText, type BenchResult } from '../support/report';
import { formatMs, formatSummaryMs, messageRate, summarize } from '../support/stats';
import { CONNECTIONS, postfixSender, runSenderPairs } from '../support/senders';

/**
 * The many-message path the product has: one mail merge of N rows (a draft with placeholders and an
 * attachment, a CSV, previewMerge then startMerge through dispatch) vs a pooled nodemailer transport
 * sending the same N personalised messages, against the same Postfix (STARTTLS + AUTH), interleaved,
 * a fresh process per run.
 */
export async function mergeThroughputBenchmark(ctx: BenchContext, count: number): Promise<BenchResult> {
  const { mta } = ctx;
  const dir = join(ctx.workDir, 'merge');
  mkdirSync(dir, { recursive: true });
  const fixtures = await writeThroughputFixtures(dir);
  const runs = 3;
  const base = { ...postfixSender(mta, count, fixtures), mode: 'merge' };
  const {
    mailroom,
    enqueued: queued,
    nodemailer,
  } = await runSenderPairs(ctx, {
    label: 'merge',
    what: `${count} rows`,
    runs,
    count,
    dir,
    mailroom: base,
    nodemailer: base,
    postfix: true,
  });
  const m = summarize(mailroom);
  const n = summarize(nodemailer);
  const ratio = n.median / m.median;
  const rate = (ms: number) => messageRate(count, ms);
  return {
    title: '1d. Throughput, mail merge',
    ratios: [
      {
        comparison: `Mailroom mail merge (${count} rows) vs nodemailer pool, same messages`,
        ratio: ratioText(ratio),
        target: '',
        note: `${count} messages each, ${runs} runs, medians`,
      },
    ],
    measurements: [
      {
        what: `Mailroom mail merge, ${count} rows`,
        value: formatSummaryMs(m),
        note: `${rate(m.median)}; startMerge answered (all rows queued) after ${formatMs(summarize(queued).median)}`,
      },
      { what: `nodemailer pool, ${count} messages`, value: formatSummaryMs(n), note: rate(n.median) },
    ],
    notes: [
      `Mailroom: a real profile, createAccount, then one draft (subject "Benchmark message {{n}}", text "Dear {{name}}," + the throughput leg's 10 KB text, its 20 KB attachment by grant), a CSV of ${count} rows (email, name, n), previewMerge (5 rows) and startMerge through dispatch; the account's domain has no published sending limit, so the job is not paced. Timed from createDraft to the last 'sent' (Postfix's 250).`,
      `nodemailer: pool: true, maxConnections ${CONNECTIONS}, the same ${count} messages personalised in the caller (To with the row's name, subject and greeting with its values), same STARTTLS + AUTH; all handed over at once, timed to the last resolved.`,
    ],
  };
}
