// A sending process the tests can kill: run with `node --import tsx outbox-driver.ts <mode> ...`
// (one process, so SIGKILL hits the process that sends, not a wrapper).
//   enqueue <dir> <port> <count> [maxConnections]: queue <count> messages, print "queued <Message-ID>"
//     for each once it is safe on disk, deliver everything, print "done".
//   resume <dir> <port> [maxConnections]: deliver whatever the outbox holds, print "done".
//   big <dir> <port> <attachment>: queue one message with the attachment, deliver it, print one JSON
//     line with the process's RSS before and its peak during the send.
import { Outbox } from '../../../../electron/core/outbox/outbox';
import { plainAccounts } from './plain-accounts';

const [mode, dir, portText, ...rest] = process.argv.slice(2);
if (!mode || !dir || !portText) throw new Error('usage: outbox-driver <enqueue|resume|big> <dir> <port> ...');
const port = Number(portText);
const outboxDir: string = dir;

function open(maxConnections: number): Outbox {
  return new Outbox({
    dir: outboxDir,
    accounts: plainAccounts(port),
    settings: () => ({
      undoDelayMs: 0,
      retryBaseMs: 50,
      retryCapMs: 500,
      maxConnectionsPerAccount: maxConnections,
      poolIdleMs: 0,
    }),
    log: (m) => process.stderr.write(`${m}\n`),
  });
}

async function untilDelivered(outbox: Outbox): Promise<void> {
  for (;;) {
    const entries = await outbox.list('outbox');
    if (!entries.some((e) => e.state === 'queued' || e.state === 'sending')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const write = (line: string) => new Promise<void>((r) => process.stdout.write(`${line}\n`, () => r()));

async function main(): Promise<void> {
  if (mode === 'enqueue' || mode === 'resume') {
    const count = mode === 'enqueue' ? Number(rest[0]) : 0;
    const outbox = open(Number((mode === 'enqueue' ? rest[1] : rest[0]) ?? 2));
    await outbox.ready;
    for (let i = 0; i < count; i++) {
      const queued = await outbox.enqueue({
        accountId: 'acct',
        to: [`rcpt${i}@example.test`],
        cc: [],
        bcc: [],
        subject: `Message ${i}`,
        text: `Body of message ${i}\n`,
        attachments: [],
      });
      if (!queued.ok) throw new Error(queued.error.message);
      await write(`queued ${queued.value.messageId}`);
    }
    await untilDelivered(outbox);
    await outbox.close();
    await write('done');
    return;
  }
  if (mode === 'big') {
    const attachment = rest[0]!;
    const outbox = open(1);
    await outbox.ready;
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const queued = await outbox.enqueue({
      accountId: 'acct',
      to: ['big@example.test'],
      cc: [],
      bcc: [],
      subject: 'A large attachment',
      text: 'See the attachment.\n',
      attachments: [{ path: attachment, filename: 'large.bin' }],
    });
    if (!queued.ok) throw new Error(queued.error.message);
    let progressEvents = 0;
    outbox.subscribe(({ entry }) => {
      if (entry?.state === 'sending' && entry.bytesSent) progressEvents++;
    });
    await untilDelivered(outbox);
    clearInterval(sampler);
    const entry = outbox.get(queued.value.id);
    await outbox.close();
    await write(
      JSON.stringify({
        baseline,
        peakSampled: peak,
        maxRss: process.resourceUsage().maxRSS * 1024,
        state: entry?.state,
        size: entry?.size,
        messageId: entry?.messageId,
        progressEvents,
      }),
    );
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`outbox-driver: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
