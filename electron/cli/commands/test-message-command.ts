import { TEST_MESSAGE_SUBJECT } from '../../../shared/domain/test-message';
import { addressOption } from '../address-options';
import { UsageError, parseCommandArgs } from '../usage-error';
import { findAccount } from './accounts-commands';
import { COMMON_OPTIONS, failed, type Command } from './command';

const NAME = 'test-message';

export const testMessageCommand: Command = {
  name: NAME,
  summary: 'Send a short test message from an account to itself',
  help: `Usage: mailroom test-message ACCOUNT [--to ADDRESS] [--json] [--profile DIR]

Sends a short message ("${TEST_MESSAGE_SUBJECT}") from the account to its own address, or to
--to, through the profile's outbox, exactly as the app's "Send a test message" does, and prints
the server's reply and the queue ID it gave the message (what its logs are searched by). A test
message that does not go on its first attempt is cancelled, not retried later.

  ACCOUNT         the account's id or an address it sends from (mailroom accounts list)
  --to ADDRESS    send the test there instead of to the account's own address
  --json          print one JSON document: {ok, outboxId, messageId, from, to, subject, response,
                  queueId?} or {ok:false, error:{code, message, hint}}

Exit codes: 0 the server accepted the message, 1 it was not sent, 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      NAME,
      args,
      { ...COMMON_OPTIONS, to: { type: 'string' } },
      true,
    );
    const [ref, ...extra] = positionals;
    if (ref === undefined) throw new UsageError('name the account (its id or address)', NAME);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, NAME);
    const to = values.to === undefined ? undefined : addressOption(NAME, '--to', values.to);

    const session = context.session(values.profile, values.json);
    // This command sends: it delivers the outbox itself unless the app already does.
    const outbox = session.outbox('deliver');
    const { human } = session;
    const state = await session.call('getAppState', {});
    if (!state.ok) return failed(session, state.error);
    const found = findAccount(state.value.accounts, ref);
    if ('error' in found) return failed(session, found.error);
    if (!outbox.delivering)
      human.note('Another Mailroom process (the app?) delivers this profile’s outbox: waiting for it…');
    human.progress(`Sending a test message from ${found.account.label}…`);
    const sent = await session.call('sendTestMessage', {
      accountId: found.account.id,
      ...(to ? { to } : {}),
    });
    if (!sent.ok) return failed(session, sent.error);
    const { value } = sent;
    human.line(`Sent a test message from ${value.from} to ${value.to}.`);
    human.line(`Server reply: ${value.response}`);
    human.line(
      value.queueId
        ? `Queue ID: ${value.queueId} (the server’s logs name the message by it)`
        : 'The server’s reply names no queue ID.',
    );
    return { exitCode: 0, document: { ok: true, ...value } };
  },
};
