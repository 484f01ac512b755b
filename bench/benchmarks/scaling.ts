import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../support/context';
import { writeThroughputFixtures } from '../support/fixtures';
import {
  DEFAULT_INSTALL_ENV,
  ROOT,
  extraCaCertsSet,
  runChecked,
  runTimed,
  runWorker,
} from '../support/processes';
import { ratioText, type BenchResult } from '../support/report';
import { startSmtpSink } from '../support/smtp-sink';
import { formatMs, formatSummaryMs, summarize } from '../support/stats';
import { CONNECTIONS } from '../support/senders';

interface ScalingResult {
  queueMs: number;
  deliverMs: number;
  sent: number;
  failed: number;
  firstError?: string;
  listMs: number;
  listed: number;
}

/** Sends the caller keeps outstanding while queueing. */
const WINDOW = 100;
const LIST_RUNS = 5;

/**
 * How cost grows with the outbox's size: 100, 1,000 and 10,000 messages (--quick: 100, 1,000 and
 * 2,000) queued, then delivered to smtp-sink, time per message for each; then `mailroom outbox
 * list` as a process, with every one of the largest run's entries in the outbox folder.
 */
export async function scalingBenchmark(ctx: BenchContext): Promise<BenchResult> {
  const sizes = ctx.quick ? [100, 1000, 2000] : [100, 1000, 10_000];
  const dir = join(ctx.workDir, 'scaling');
  mkdirSync(dir, { recursive: true });
  const fixtures = await writeThroughputFixtures(dir);
  const sink = await startSmtpSink();
  const results = new Map<number, ScalingResult>();
  let largestProfile = '';
  try {
    for (const count of sizes) {
      ctx.progress(`scaling: ${count} messages queued, then delivered to smtp-sink`);
      const profileDir = join(dir, `profile-${count}`);
      const r = await runWorker<ScalingResult>('mailroom-scaling.ts', [
        JSON.stringify({
          profileDir,
          host: sink.host,
          port: sink.port,
          count,
          ...fixtures,
          maxConnections: CONNECTIONS,
          window: WINDOW,
        }),
      ]);
      if (r.failed || r.sent !== count)
        throw new Error(`scaling: ${r.failed} of ${count} messages failed: ${r.firstError ?? ''}`);
      results.set(count, r);
      largestProfile = profileDir;
    }
  } finally {
    await sink.stop();
  }

  const largest = sizes[sizes.length - 1]!;
  ctx.progress(`scaling: mailroom outbox list with ${largest} entries, ${LIST_RUNS} runs`);
  // The CLI as shipped: its bundle (and code cache) built from the sources being measured.
  await runChecked(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')]);
  const cli = join(ROOT, 'bin/mailroom.mjs');
  // One untimed start: the first run after a build writes the code cache beside the bundle.
  await runTimed(process.execPath, [cli, 'outbox', 'list', '--json', '--profile', largestProfile]);
  const listTimes: number[] = [];
  const listAsIs: number[] = [];
  let bundled = true;
  for (let i = 0; i < LIST_RUNS; i++) {
    // As on a default install (the target), then with this machine's environment when it differs.
    for (const [times, env] of [
      [listTimes, DEFAULT_INSTALL_ENV],
      ...(extraCaCertsSet() ? [[listAsIs, {}] as const] : []),
    ] as const) {
      const r = await runTimed(
        process.execPath,
        [cli, 'outbox', 'list', '--json', '--profile', largestProfile],
        {
          env,
          timeoutMs: 60_000,
        },
      );
      if (r.code !== 0)
        throw new Error(`mailroom outbox list exited ${String(r.code)}:\n${r.stderr.slice(-1500)}`);
      if (/out\/cli\/mailroom\.cjs is missing/.test(r.stderr)) bundled = false;
      times.push(r.ms);
    }
  }
  const list = summarize(listTimes);

  const each = (r: ScalingResult) => (r.queueMs + r.deliverMs) / r.sent;
  const base = results.get(1000)!;
  const top = results.get(largest)!;
  const growth = each(top) / each(base);
  return {
    title: '1c. Throughput, how cost grows (smtp-sink)',
    ratios: [
      {
        comparison: `time per message, ${largest.toLocaleString('en')} vs 1,000 queued`,
        ratio: ratioText(growth),
        target: '<= 1.20x',
        met: growth <= 1.2,
        note: 'queue + deliver, per message; one run each',
      },
      {
        comparison: `mailroom outbox list, ${largest.toLocaleString('en')} entries (whole process)`,
        ratio: formatMs(list.median),
        target: '< 300 ms',
        met: list.median < 300,
        note: `${LIST_RUNS} runs, median${bundled ? '' : '; CLI ran from sources (no out/cli bundle)'}`,
      },
    ],
    measurements: [
      ...sizes.map((count) => {
        const r = results.get(count)!;
        return {
          what: `${count.toLocaleString('en')} messages: per message`,
          value: formatMs(each(r)),
          note: `queue ${formatMs(r.queueMs / count)} + deliver ${formatMs(r.deliverMs / count)} per message (totals ${formatMs(r.queueMs)} + ${formatMs(r.deliverMs)}); listOutbox in-process ${formatMs(r.listMs)} for ${r.listed} entries`,
        };
      }),
      {
        what: `mailroom outbox list --json, ${largest.toLocaleString('en')} entries`,
        value: formatSummaryMs(list),
        note: 'process spawn to exit; as on a default install',
      },
      ...(listAsIs.length
        ? [
            {
              what: `the same, with this machine's NODE_EXTRA_CA_CERTS`,
              value: formatSummaryMs(summarize(listAsIs)),
              note: 'process spawn to exit',
            },
          ]
        : []),
    ],
    notes: [
      `Each size in a fresh profile and a fresh process: queue N messages as compose sends them (createDraft, addDraftAttachments, sendDraft, every file fsynced) with delivery off and ${WINDOW} sends outstanding at a time, close; then a delivering core takes all N from the queue to smtp-sink over ${CONNECTIONS} connections (timed from opening the outbox, so loading N entries counts) until the last 250; then a core that does not deliver lists both views (listOutbox, as the CLI does).`,
      'smtp-sink (plain SMTP, no AUTH) so that the server, and Postfix writing N messages to its Maildir, are not what grows.',
      "`mailroom outbox list` is the CLI as a user runs it (`node bin/mailroom.mjs`, its bundle built from these sources first, one untimed start), in its own process, reading the largest run's outbox folder (every entry sent, message files kept).",
    ],
  };
}
