import { hasOutcome } from '../../../shared/domain/outbox-states';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { TEST_MESSAGE_SUBJECT, TEST_MESSAGE_WAIT_MS, queueIdOf } from '../../../shared/domain/test-message';
import { fail, ok, type MailroomError } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import type { Outbox } from './outbox';
import { sendHandlers } from './send-handlers';

/** Another process (the app) delivers this profile's outbox: read its entry file this often. */
const FOREIGN_POLL_MS = 500;

function testMessageText(from: string, to: string, now: Date): string {
  return [
    'This is a test message from Mailroom.',
    '',
    `It was sent from ${from} to ${to} on ${now.toUTCString()} to check that the account's outgoing`,
    'server accepts mail. You can delete it.',
  ].join('\n');
}

/** Waits until the entry has an outcome (sent, failed, or a first attempt that failed), or the time is up. */
async function outcomeOf(
  outbox: Outbox,
  id: string,
  waitMs: number,
): Promise<OutboxEntry | 'gone' | 'timeout'> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const entry = await outbox.current(id);
    if (!entry) return 'gone';
    if (hasOutcome(entry, 0)) return entry;
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    if (outbox.delivering) await outbox.nextChange(Math.min(1_000, left));
    else await new Promise((resolve) => setTimeout(resolve, Math.min(FOREIGN_POLL_MS, left)));
  }
}

/**
 * sendTestMessage: proof that an account really sends. The core writes a short message from the
 * account to itself (or to the address given) as a draft and sends it with sendDraft, exactly as
 * compose and the command line do, then waits for the server's answer: its reply and queue ID, or
 * the coded failure. A test message that did not go on its first attempt is cancelled rather than
 * left to be retried: it is a check, and it should not arrive hours later after the user moved on.
 */
export function testMessageHandlers(
  services: CoreServices,
  waitMs = TEST_MESSAGE_WAIT_MS,
): HandlerGroup<'sendTestMessage'> {
  const send = sendHandlers(services);
  return {
    async sendTestMessage({ accountId, to, requestId }, context) {
      const account = services.accounts.summary(accountId);
      if (!account) {
        return fail({
          code: 'ACCOUNT_NOT_FOUND',
          message: 'The test message was not sent: that account no longer exists.',
          hint: 'Choose another account in Accounts.',
        });
      }
      const identity =
        account.identities.find((i) => i.id === account.defaultIdentityId) ?? account.identities[0]!;
      const from = identity.address;
      const recipient = to ?? from;
      const draft = await services.drafts.create({
        accountId,
        identityId: identity.id,
        to: [{ name: '', address: recipient }],
        subject: TEST_MESSAGE_SUBJECT,
        mode: 'plain',
        text: testMessageText(from, recipient, new Date()),
      });
      const queued = await send.sendDraft(
        { draftId: draft.id, undo: false, ...(requestId ? { requestId } : {}) },
        context,
      );
      if (!queued.ok) {
        await services.drafts.discard(draft.id);
        return queued;
      }
      const { outbox } = services.outbox;
      const { outboxId, messageId } = queued.value;
      const outcome = await outcomeOf(outbox, outboxId, waitMs);
      if (outcome === 'gone') {
        return fail({
          code: 'OUTBOX_ENTRY_NOT_FOUND',
          message: 'The test message disappeared from the outbox before it was sent.',
          hint: 'Another Mailroom window or command may have removed it. Send the test again.',
        });
      }
      if (outcome === 'timeout') {
        await outbox.cancel(outboxId);
        return fail({
          code: 'OUTBOX_WAIT_TIMEOUT',
          message: `The test message was not sent: the server did not take it within ${Math.round(waitMs / 1000)} s.`,
          hint: 'Mailroom cancelled it. Check the account’s settings (Check settings), then send the test again.',
        });
      }
      if (outcome.state !== 'sent') {
        if (outcome.state === 'queued') await outbox.cancel(outboxId);
        const error: MailroomError = outcome.lastError ?? {
          code: 'INTERNAL',
          message: 'The test message was not sent.',
        };
        return fail({ ...error, message: `The test message was not sent: ${error.message}` });
      }
      const refused = (outcome.recipients ?? []).find((r) => !r.accepted);
      if (refused) {
        return fail({
          code: 'RECIPIENT_REJECTED',
          message: `The server refused the test message for ${refused.address}: ${refused.reply ?? 'no reason given'}.`,
          hint: 'Check the address, or send the test to your own address.',
        });
      }
      const response = outcome.response ?? '';
      const queueId = queueIdOf(response);
      return ok({
        outboxId,
        messageId,
        from,
        to: recipient,
        subject: TEST_MESSAGE_SUBJECT,
        response,
        ...(queueId ? { queueId } : {}),
      });
    },
  };
}
