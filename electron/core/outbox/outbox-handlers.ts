import { fail, ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { SUBSCRIPTION_LEASE_MS } from './outbox-service';
import { readSentMessage } from './sent-message-reader';
import { notFound } from './outbox-errors';

type OutboxChannel =
  | 'listOutbox'
  | 'retryOutboxEntry'
  | 'cancelOutboxEntry'
  | 'resendSentMessage'
  | 'removeOutboxEntry'
  | 'openSentMessage'
  | 'saveSentMessage'
  | 'readSentMessage'
  | 'kickOutbox';

/**
 * The outbox's channels. openSentMessage and saveSentMessage only report the stored file here
 * (handled: false); the Electron host overrides them to open it with the system's mail viewer and
 * to copy it where the user chooses in a save dialog, as it does for openExternal.
 */
export function outboxHandlers(services: CoreServices): HandlerGroup<OutboxChannel> {
  // Reached per call, not here: the outbox opens (reads its folder, may take the lock) on first use.
  const outbox = () => services.outbox.outbox;
  return {
    async listOutbox({ view, subscriberId }, context) {
      services.outbox.lease(subscriberId, context.emit);
      const entries = await outbox().list(view);
      return ok({ entries, pending: outbox().pendingCount(), leaseMs: SUBSCRIPTION_LEASE_MS });
    },
    retryOutboxEntry: ({ id }) => outbox().retry(id),
    cancelOutboxEntry: ({ id }) => outbox().cancel(id),
    resendSentMessage: ({ id }) => outbox().resend(id),
    async removeOutboxEntry({ id }) {
      const removed = await outbox().remove(id);
      return removed.ok ? ok({}) : removed;
    },
    async openSentMessage({ id }) {
      const file = await outbox().messageFile(id);
      return file.ok ? ok({ id, ...file.value, handled: false }) : file;
    },
    async saveSentMessage({ id }) {
      const file = await outbox().messageFile(id);
      return file.ok ? ok({ id, ...file.value, handled: false }) : file;
    },
    async readSentMessage({ id }) {
      const file = await outbox().messageFile(id);
      if (!file.ok) return file;
      const entry = outbox().get(id);
      if (!entry) return fail(notFound(id));
      try {
        return ok(
          await readSentMessage(file.value.path, {
            id,
            bcc: entry.bcc,
            displayNames: entry.displayNames,
          }),
        );
      } catch (error) {
        return fail({
          code: 'MESSAGE_FILE_DAMAGED',
          message: `The stored copy of “${entry.subject || '(no subject)'}” could not be read: ${(error as Error).message}.`,
          hint: 'Save it as .eml and open it with another mail program, or delete it.',
        });
      }
    },
    async kickOutbox() {
      await outbox().kick();
      return ok({});
    },
  };
}
