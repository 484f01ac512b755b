// `npm run bench [-- --quick] [-- --only throughput,sink,merge,scaling,large,verification,discovery,ui] [-- --count N]`
// Starts its own Postfix + Dovecot (for sink and scaling, smtp-sink; for discovery, dnsmasq), runs
// the benchmarks, prints each one's measurements and ratios and then one summary table, and stops
// everything it started.
// See bench/README.md. Needs root (Postfix) and msmtp + swaks + chromium installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { throughputBenchmark } from './benchmarks/throughput';
import { sinkBenchmark } from './benchmarks/sink';
import { mergeThroughputBenchmark } from './benchmarks/merge-throughput';
import { scalingBenchmark } from './benchmarks/scaling';
import { largeMessageBenchmark } from './benchmarks/large-message';
import { verificationBenchmark } from './benchmarks/verification';
import { discoveryBenchmark } from './benchmarks/discovery';
import { uiBenchmark } from './benchmarks/ui';
import type { BenchContext } from './support/context';
import { describeMachine } from './support/machine';
import { startBenchMta } from './support/mta';
import { renderResult, renderSummary, type BenchResult } from './support/report';
import { formatMs } from './support/stats';

const ALL = ['throughput', 'sink', 'merge', 'scaling', 'large', 'verification', 'discovery', 'ui'] as const;
/** Benchmarks that need no Postfix (sink and scaling start their own smtp-sink). */
const WITHOUT_MTA: readonly BenchName[] = ['sink', 'scaling', 'discovery', 'ui'];
type BenchName = (typeof ALL)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    count: { type: 'string' },
  },
});

const quick = values.quick ?? false;
const only = (values.only?.split(',').map((s) => s.trim()) ?? [...ALL]) as BenchName[];
for (const name of only) {
  if (!ALL.includes(name)) {
    console.error(`Unknown benchmark "${name}". Choose from: ${ALL.join(', ')}.`);
    process.exit(2);
  }
}
const count = values.count ? Number(values.count) : quick ? 200 : 1000;
if (!Number.isInteger(count) || count < 1) {
  console.error(`--count must be a whole number of messages, at least 1 (got "${values.count ?? ''}").`);
  process.exit(2);
}

const progress = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.error('npm run bench needs root: it starts its own Postfix, whose master process runs as root.');
    return 2;
  }
  const started = performance.now();
  const workDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-'));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(workDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: BenchResult[] = [];
  try {
    const needsMta = only.some((n) => !WITHOUT_MTA.includes(n));
    let mta: BenchContext['mta'] | undefined;
    if (needsMta) {
      progress('starting Postfix + Dovecot (587 STARTTLS + AUTH) on 127.0.0.1');
      mta = await startBenchMta();
      const stop = mta.stop;
      cleanups.push(() => stop());
    }
    let pending = 0;
    const ctx: BenchContext = {
      get mta() {
        if (!mta) throw new Error('this benchmark needs the MTA');
        return mta;
      },
      quick,
      workDir,
      progress,
      expectDelivered: (n) => (pending += n),
      async settle() {
        if (!mta || pending === 0) return;
        await mta.drain(pending, 120_000);
        pending = 0;
      },
    };
    const machine = await describeMachine();
    console.log(`## Mailroom benchmarks${quick ? ' (--quick)' : ''}\n\n${machine}\n`);

    const runners: Record<BenchName, () => Promise<BenchResult>> = {
      throughput: () => throughputBenchmark(ctx, count),
      sink: () => sinkBenchmark(ctx, count),
      merge: () => mergeThroughputBenchmark(ctx, count),
      scaling: () => scalingBenchmark(ctx),
      large: () => largeMessageBenchmark(ctx),
      verification: () => verificationBenchmark(ctx),
      discovery: () => discoveryBenchmark(ctx),
      ui: () => uiBenchmark(ctx),
    };
    for (const name of only) {
      const t0 = performance.now();
      const result = await runners[name]();
      progress(`${name} done in ${formatMs(performance.now() - t0)}`);
      results.push(result);
      console.log(renderResult(result));
    }
    console.log('## Summary: ratios\n');
    console.log(renderSummary(results));
    console.log(`\nTotal time ${formatMs(performance.now() - started)}.`);
    return 0;
  } finally {
    progress('stopping everything the benchmarks started');
    await stopAll();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(
      `Benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  });
