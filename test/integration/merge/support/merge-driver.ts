// A process that runs a mail merge and can be killed: `node --import tsx merge-driver.ts <mode> ...`
//   start <dir> <port> <rows>: starts a merge of <rows> recipients (no pacing), prints "queued <row>"
//     for each row once its entry is on disk, "started <jobId>" when the job is queued, delivers, "done".
//   resume <dir> <port>: opens the outbox (finishing a cut-short enqueue), delivers, prints "done".
import { Outbox } from '../../../../electron/core/outbox/outbox';
import { MailMerge } from '../../../../electron/core/merge/mail-merge';
import { plainAccounts } from '../../outbox/support/plain-accounts';
import { recipientsCsv, TEMPLATE } from './merge-rig';

const [mode, dir, portText, rowsText] = process.argv.slice(2);
if (!mode || !dir || !portText) throw new Error('usage: merge-driver <start|resume> <dir> <port> [rows]');

const write = (line: string) => new Promise<void>((r) => process.stdout.write(`${line}\n`, () => r()));

async function main(): Promise<void> {
  const accounts = plainAccounts(Number(portText));
  const merge = new MailMerge({
    outboxDir: dir!,
    limits: () => ({ perMinute: null, perDay: null, source: 'none' }),
    identityFor: accounts.identityFor,
    log: (m) => process.stderr.write(`${m}\n`),
    refreshMs: 0,
  });
  const outbox = new Outbox({
    dir: dir!,
    accounts,
    settings: () => ({
      undoDelayMs: 0,
      retryBaseMs: 50,
      retryCapMs: 500,
      poolIdleMs: 0,
      maxConnectionsPerAccount: 2,
    }),
    log: (m) => process.stderr.write(`${m}\n`),
    pacing: merge.pacer,
  });
  outbox.subscribe(({ entry }) => {
    if (entry?.merge && entry.state === 'queued' && entry.attempts === 0)
      void write(`queued ${entry.merge.row}`);
  });
  await merge.attach(outbox);
  if (mode === 'start') {
    const started = await merge.start(
      TEMPLATE,
      { text: recipientsCsv(Number(rowsText)), fileName: 'l.csv' },
      {},
    );
    if (!started.ok) throw new Error(started.error.message);
    await write(`started ${started.value.jobId}`);
  }
  for (;;) {
    const jobs = await merge.list();
    if (jobs.length && jobs.every((j) => j.state === 'done')) break;
    await outbox.nextChange(100);
  }
  await outbox.close();
  await write('done');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
