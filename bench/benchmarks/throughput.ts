import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../support/context';
import { writeEml, writeThroughputFixtures } from '../support/fixtures';
import { msmtpArgs, swaksArgs, swaksEnv } from '../support/mta';
import { runTimed } from '../support/processes';
import { ratioText, type BenchResult } from '../support/report';
import { formatMs, formatSummaryMs, messageRate, summarize } from '../support/stats';
import { CONNECTIONS, mailroomPhases, postfixSender, runSenderPairs } from '../support/senders';

/**
 * N messages (10 KB text + 20 KB attachment) through Mailroom's outbox vs a pooled nodemailer
 * transport (whole batch, several runs, alternating), and vs msmtp and swaks with one process per
 * message (a sample, extrapolated per message).
 */
export async function throughputBenchmark(ctx: BenchContext, count: number): Promise<BenchResult> {
  const { mta } = ctx;
  const dir = join(ctx.workDir, 'throughput');
  mkdirSync(dir, { recursive: true });
  const fixtures = await writeThroughputFixtures(dir);
  const eml = await writeEml(dir, 'message.eml', {
    from: mta.user,
    text: readFileSync(fixtures.textFile, 'utf8'),
    attachment: fixtures.attachment,
  });
  const runs = 3;
  const sample = ctx.quick ? 20 : 50;
  const base = postfixSender(mta, count, fixtures);
  const pairs = await runSenderPairs(ctx, {
    label: 'throughput',
    what: `${count} messages`,
    runs,
    count,
    dir,
    mailroom: { ...base, mode: 'throughput' },
    nodemailer: base,
    postfix: true,
    mailroomFromDraft: true,
  });

  const perProcess = async (name: string, send: () => ReturnType<typeof runTimed>): Promise<number[]> => {
    const times: number[] = [];
    ctx.progress(`throughput: ${name}, ${sample} messages, one process each`);
    for (let i = 0; i < sample; i++) {
      const r = await send();
      if (r.code !== 0) throw new Error(`${name} failed (exit ${String(r.code)}):\n${r.stderr.slice(-1500)}`);
      times.push(r.ms);
    }
    ctx.expectDelivered(sample);
    await ctx.settle();
    return times;
  };
  const msmtp = await perProcess('msmtp', () =>
    runTimed('msmtp', [...msmtpArgs(mta), 'peer@mailroom.test'], {
      env: mta.secretEnv(),
      stdinFile: eml,
      timeoutMs: 30_000,
    }),
  );
  const swaks = await perProcess('swaks', () =>
    runTimed('swaks', [...swaksArgs(mta), '--to', 'peer@mailroom.test', '--data', `@${eml}`], {
      env: swaksEnv(mta),
      timeoutMs: 30_000,
    }),
  );

  const m = summarize(pairs.mailroom);
  const n = summarize(pairs.nodemailer);
  const msmtpEach = summarize(msmtp);
  const swaksEach = summarize(swaks);
  const mailroomEach = m.median / count;
  const vsNodemailer = n.median / m.median;
  const vsMsmtp = msmtpEach.median / mailroomEach;
  const vsSwaks = swaksEach.median / mailroomEach;
  const rate = (ms: number) => messageRate(count, ms);

  return {
    title: '1. Throughput',
    ratios: [
      {
        comparison: 'Mailroom outbox vs nodemailer pool (throughput)',
        ratio: ratioText(vsNodemailer),
        target: '>= 1.00x',
        met: vsNodemailer >= 1,
        note: `${count} messages each, ${runs} runs, medians`,
      },
      {
        comparison: 'Mailroom outbox vs msmtp, one process per message',
        ratio: ratioText(vsMsmtp, 1),
        target: '>= 10x',
        met: vsMsmtp >= 10,
        note: `msmtp extrapolated from a sample of ${sample}`,
      },
      {
        comparison: 'Mailroom outbox vs swaks, one process per message',
        ratio: ratioText(vsSwaks, 1),
        target: '>= 15x',
        met: vsSwaks >= 15,
        note: `swaks extrapolated from a sample of ${sample}`,
      },
    ],
    measurements: [
      {
        what: `Mailroom outbox, ${count} messages`,
        value: formatSummaryMs(m),
        note: `${rate(m.median)}; ${mailroomPhases(pairs)}`,
      },
      {
        what: `Mailroom outbox, timed from the first createDraft`,
        value: formatSummaryMs(summarize(pairs.fromDraft)),
        note: `the drafts made inside the run, as this leg was timed before; vs nodemailer: ${ratioText(n.median / summarize(pairs.fromDraft).median)}`,
      },
      {
        what: `nodemailer pool, ${count} messages`,
        value: formatSummaryMs(n),
        note: rate(n.median),
      },
      {
        what: 'msmtp, per message (process)',
        value: formatSummaryMs(msmtpEach),
        note: `x ${count} = ${formatMs(msmtpEach.median * count)} (extrapolated)`,
      },
      {
        what: 'swaks, per message (process)',
        value: formatSummaryMs(swaksEach),
        note: `x ${count} = ${formatMs(swaksEach.median * count)} (extrapolated)`,
      },
    ],
    notes: [
      `Each message: 10 KB text + 20 KB random attachment (base64), about ${Math.round(readFileSync(eml).length / 1024)} KB on the wire; To rcpt<i>@${'mailroom.test'}.`,
      `Mailroom: real profile dir, conf settings, createAccount, then the ${count} drafts saved as compose saves them (createDraft, the attachment by grant; compose does this while the user types, so it is not timed), then every sendDraft at once through dispatch (zod, the message composed to disk, every message and entry fsynced before sendDraft answers), undoDelayMs 0, ${CONNECTIONS} pooled connections (the default). Timed from the first sendDraft, the hand-over, to the last 'sent' (Postfix's 250), in a fresh process per run.`,
      `nodemailer: pool: true, maxConnections ${CONNECTIONS}, maxMessages 100, same STARTTLS + AUTH + CA; timed from the first sendMail to the last resolved.`,
      `msmtp and swaks: one process per message, sequentially, timed from spawn to exit (that includes process start, connect, STARTTLS, AUTH, DATA); the ${sample}-message sample is extrapolated to ${count} by the median per message.`,
      "Postfix delivers to its Maildir asynchronously; the runner waits for every leg's messages to be delivered before starting the next, so no leg pays for another's backlog.",
    ],
  };
}
