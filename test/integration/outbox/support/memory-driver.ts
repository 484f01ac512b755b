// Sends one message with a large attachment through a real outbox (STARTTLS, the CA in caFile) and
// prints one JSON line: the process's memory after start-up and a collection, and its peak in each
// phase (compose = enqueue until it answers; delivery = the file check and the send until 'sent').
// Run with --expose-gc, as `memory-driver.ts <dir> <port> <caFile> <attachment>`.
import { loadOnDemandModules } from '../../../../electron/core/mailroom-core';
import { Outbox } from '../../../../electron/core/outbox/outbox';

const [dir, portText, caFile, attachment] = process.argv.slice(2);
if (!dir || !portText || !caFile || !attachment)
  throw new Error('usage: memory-driver <dir> <port> <caFile> <attachment>');
if (!global.gc) throw new Error('memory-driver needs --expose-gc: the baseline is taken after a collection');

const outbox = new Outbox({
  dir,
  accounts: {
    identityFor: () => ({ ok: true, value: { name: 'Ada Lovelace', address: 'ada@example.test' } }),
    credentialsFor: async () => ({
      ok: true,
      value: {
        settings: {
          host: 'localhost',
          port: Number(portText),
          security: 'starttls',
          authMethod: 'none',
          username: '',
          allowUnencrypted: false,
          caFile,
        },
        password: undefined,
      },
    }),
  },
  settings: () => ({ undoDelayMs: 0, retryBaseMs: 60_000, maxConnectionsPerAccount: 1, poolIdleMs: 0 }),
  log: (m) => process.stderr.write(`${m}\n`),
});

interface Peak {
  rss: number;
  /** Node's Buffers (ArrayBuffers, outside the JS heap): where dead read chunks pile up until V8 collects. */
  buffers: number;
  heapUsed: number;
}

const peaks: Record<string, Peak> = {};
let phase = 'compose';
function sample(): void {
  const m = process.memoryUsage();
  const peak = (peaks[phase] ??= { rss: 0, buffers: 0, heapUsed: 0 });
  peak.rss = Math.max(peak.rss, m.rss);
  peak.buffers = Math.max(peak.buffers, m.arrayBuffers);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
}

async function main(): Promise<void> {
  await outbox.ready;
  // What the core loads on first use (the SMTP pools at the first delivery) is code, the same for
  // any message; run from the TypeScript sources it would also be transpiled inside the measured
  // phases. Loaded before the baseline, so what is measured is what the message costs.
  await loadOnDemandModules();
  global.gc!();
  const start = process.memoryUsage();
  const baseline: Peak = { rss: start.rss, buffers: start.arrayBuffers, heapUsed: start.heapUsed };
  const sampler = setInterval(sample, 5);
  const queued = await outbox.enqueue({
    accountId: 'acct',
    to: ['big@example.test'],
    cc: [],
    bcc: [],
    subject: 'A large attachment',
    text: 'See the attachment.\n',
    attachments: [{ path: attachment!, filename: 'large.bin' }],
  });
  if (!queued.ok) throw new Error(queued.error.message);
  sample();
  phase = 'delivery';
  const { id } = queued.value;
  const sent = new Promise<string>((resolve) =>
    outbox.subscribe(({ entry }) => {
      if (entry?.id === id && (entry.state === 'sent' || entry.state === 'failed' || entry.lastError))
        resolve(entry.lastError ? `${entry.state}: ${entry.lastError.message}` : entry.state);
    }),
  );
  const state = await sent;
  sample();
  clearInterval(sampler);
  await outbox.close();
  const { size } = queued.value;
  process.stdout.write(
    `${JSON.stringify({ state, id, size, baseline, peaks, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`memory-driver: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
