// Another process on the same outbox, for the delivery-lock tests:
//   node --import tsx lock-holder.ts <dir> <port> <deliver|quiet> [subject]
// opens the outbox (delivering or not), queues one message with [subject] if given, prints
// "ready <delivering>", and stays until its stdin closes; then it closes the outbox and prints "closed".
// It never rescans (so it never picks up what others queue): what it holds, it holds still.
import { Outbox } from '../../../../electron/core/outbox/outbox';
import { plainAccounts } from './plain-accounts';

const [dir, portText, mode, subject] = process.argv.slice(2);
if (!dir || !portText || (mode !== 'deliver' && mode !== 'quiet'))
  throw new Error('usage: lock-holder <dir> <port> <deliver|quiet> [subject]');

const write = (line: string) => new Promise<void>((r) => process.stdout.write(`${line}\n`, () => r()));

async function main(): Promise<void> {
  const outbox = new Outbox({
    dir: dir!,
    accounts: plainAccounts(Number(portText)),
    settings: () => ({ undoDelayMs: 0, poolIdleMs: 0 }),
    log: (m) => process.stderr.write(`${m}\n`),
    rescanMs: 3_600_000,
    deliver: mode === 'deliver',
  });
  await outbox.ready;
  if (subject) {
    const queued = await outbox.enqueue({
      accountId: 'acct',
      to: ['rcpt@example.test'],
      cc: [],
      bcc: [],
      subject,
      text: 'Queued by another process.\n',
      attachments: [],
    });
    if (!queued.ok) throw new Error(queued.error.message);
  }
  await write(`ready ${outbox.delivering}`);
  process.stdin.resume();
  await new Promise<void>((r) => process.stdin.once('end', () => r()));
  await outbox.close();
  await write('closed');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
