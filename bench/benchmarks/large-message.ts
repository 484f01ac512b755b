import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../support/context';
import { writeEml, writeRandomFile } from '../support/fixtures';
import { msmtpArgs } from '../support/mta';
import { runTimed, runWorker } from '../support/processes';
import { ratioText, type BenchResult } from '../support/report';
import { MB, formatBytes, formatSummaryMs, summarize } from '../support/stats';

const GNU_TIME = '/usr/bin/time';

interface LargeResult {
  totalMs: number;
  enqueuedMs: number;
  sent: number;
  failed: number;
  firstError?: string;
  baseline: number;
  peakSampled: number;
  maxRss: number;
  /** Peak over the baseline in each phase: compose (until sendDraft answers) and delivery. */
  phases: Record<'compose' | 'delivery', { rss: number; arrayBuffers: number; heapUsed: number }>;
}

/**
 * One 100 MB attachment: Mailroom (compose to the outbox, fsync, stream to Postfix) vs msmtp sending
 * the same .eml, and the growth of Mailroom's sending process's RSS while it does so.
 */
export async function largeMessageBenchmark(ctx: BenchContext): Promise<BenchResult> {
  const { mta } = ctx;
  const dir = join(ctx.workDir, 'large');
  mkdirSync(dir, { recursive: true });
  const attachment = join(dir, 'large.bin');
  ctx.progress('large message: writing a 100 MB attachment and its .eml');
  await writeRandomFile(attachment, 100 * MB);
  const textFile = join(dir, 'body.txt');
  writeFileSync(textFile, 'See the attachment.\n');
  const eml = await writeEml(dir, 'large.eml', { from: mta.user, text: 'See the attachment.\n', attachment });
  const emlSize = statSync(eml).size;
  const runs = ctx.quick ? 2 : 3;

  const mailroom: LargeResult[] = [];
  const msmtp: number[] = [];
  const msmtpRss: number[] = [];
  for (let run = 0; run < runs; run++) {
    const legs = run % 2 === 0 ? (['mailroom', 'msmtp'] as const) : (['msmtp', 'mailroom'] as const);
    for (const leg of legs) {
      ctx.progress(`large message: ${leg}, run ${run + 1}/${runs}`);
      if (leg === 'mailroom') {
        const profileDir = join(dir, `profile-${run}`);
        const r = await runWorker<LargeResult>(
          'mailroom-sender.ts',
          [
            JSON.stringify({
              mode: 'large',
              profileDir,
              host: mta.host,
              port: mta.submissionPort,
              user: mta.user,
              caFile: mta.caFile,
              count: 1,
              textFile,
              attachment,
              maxConnections: 1,
            }),
          ],
          // --expose-gc: the baseline is taken after a collection, so garbage from start-up is not
          // counted as growth.
          { env: mta.secretEnv(), nodeFlags: ['--expose-gc'], timeoutMs: 300_000 },
        );
        if (r.failed || r.sent !== 1)
          throw new Error(`Mailroom did not send the large message: ${r.firstError ?? ''}`);
        mailroom.push(r);
        // The profile now holds a 137 MB copy in sent history: remove it, the disk is shared.
        rmSync(profileDir, { recursive: true, force: true });
      } else {
        // GNU time (when installed) reports msmtp's own peak RSS (%M, KiB) without changing what msmtp does.
        const msmtpCommand = ['msmtp', ...msmtpArgs(mta), 'peer@mailroom.test'];
        const [command, ...args] = existsSync(GNU_TIME)
          ? [GNU_TIME, '-f', 'bench-maxrss-kib=%M', ...msmtpCommand]
          : msmtpCommand;
        const r = await runTimed(command!, args, {
          env: mta.secretEnv(),
          stdinFile: eml,
          timeoutMs: 300_000,
        });
        if (r.code !== 0) throw new Error(`msmtp failed (exit ${String(r.code)}):\n${r.stderr.slice(-1500)}`);
        msmtp.push(r.ms);
        const kib = /bench-maxrss-kib=(\d+)/.exec(r.stderr)?.[1];
        if (kib) msmtpRss.push(Number(kib) * 1024);
      }
      ctx.expectDelivered(1);
      await ctx.settle();
    }
  }

  const total = summarize(mailroom.map((r) => r.totalMs));
  const enqueued = summarize(mailroom.map((r) => r.enqueuedMs));
  const delivery = summarize(mailroom.map((r) => r.totalMs - r.enqueuedMs));
  const growth = summarize(mailroom.map((r) => Math.max(r.peakSampled, r.maxRss) - r.baseline));
  const baseline = summarize(mailroom.map((r) => r.baseline));
  const peer = summarize(msmtp);
  const timeRatio = total.median / peer.median;
  const deliveryRatio = delivery.median / peer.median;
  const worstGrowth = growth.max;

  return {
    title: '2. Large message (100 MB attachment)',
    ratios: [
      {
        comparison: 'Mailroom time / msmtp time (compose + store + send vs send)',
        ratio: ratioText(timeRatio),
        target: '<= 1.20x',
        met: timeRatio <= 1.2,
        note: `${runs} runs each, medians`,
      },
      {
        comparison: 'Mailroom delivery only / msmtp time (stored .eml -> 250)',
        ratio: ratioText(deliveryRatio),
        target: '',
        note: 'for diagnosis: the same work msmtp does',
      },
      {
        comparison: 'Mailroom sending process: peak RSS growth',
        ratio: formatBytes(worstGrowth),
        target: '< 24 MB',
        met: worstGrowth < 24 * MB,
        note: `worst of ${runs} runs (median ${formatBytes(growth.median)})`,
      },
    ],
    measurements: [
      { what: 'Mailroom: sendDraft -> sent (total)', value: formatSummaryMs(total) },
      {
        what: '  of which compose + write + fsync to the outbox',
        value: formatSummaryMs(enqueued),
        note: 'sendDraft answers after this',
      },
      { what: '  of which delivery (stream .eml to Postfix)', value: formatSummaryMs(delivery) },
      { what: 'msmtp: same .eml, spawn -> exit', value: formatSummaryMs(peer) },
      {
        what: 'Mailroom RSS growth (peak - baseline)',
        value: `${formatBytes(growth.median)} (${formatBytes(growth.min)}–${formatBytes(growth.max)})`,
        note: `baseline ${formatBytes(baseline.median)}; peak = max(sampled every 10 ms, getrusage maxRSS)`,
      },
      ...(['compose', 'delivery'] as const).map((phase) => {
        const of = (key: 'rss' | 'arrayBuffers' | 'heapUsed') =>
          formatBytes(summarize(mailroom.map((r) => r.phases[phase][key])).median);
        return {
          what: `  ${phase === 'compose' ? 'while composing (to sendDraft answering)' : 'while delivering (file check + send)'}`,
          value: `RSS +${of('rss')}`,
          note: `Buffers +${of('arrayBuffers')}, JS heap +${of('heapUsed')} (peaks, medians of runs)`,
        };
      }),
      {
        what: 'msmtp peak RSS (whole process)',
        value: msmtpRss.length ? formatBytes(summarize(msmtpRss).median) : 'n/a',
        note: msmtpRss.length ? 'GNU time %M' : 'install GNU time (Debian package `time`) to measure it',
      },
    ],
    notes: [
      `The .eml is ${formatBytes(emlSize)} (base64 of 100 MB), built by the outbox's own MailComposer code; msmtp sends exactly that file, Mailroom builds an equivalent one from the attachment (new Message-ID).`,
      "Postfix's message_size_limit and virtual_mailbox_limit are raised in the bench's own Postfix config only (the test harness caps messages at 10 MB).",
      `Mailroom's time starts at createDraft and ends at the 'sent' state; msmtp's at spawn and ends at exit. Both include Postfix writing its queue file before it answers 250.`,
      `RSS is measured inside Mailroom's child process (baseline after start-up and a GC, just before the first send). getrusage maxRSS is the process's lifetime peak, so the growth figure errs high, never low.`,
    ],
  };
}
