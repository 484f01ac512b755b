import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { SUBSCRIPTION_LEASE_MS } from './outbox-service';

type OutboxChannel =
  | 'listOutbox'
  | 'retryOutboxEntry'
  | 'cancelOutboxEntry'
  | 'resendSentMessage'
  | 'removeOutboxEntry'
  | 'openSentMessage'
  | 'saveSentMessage'
  | 'kickOutbox';

/**
 * The outbox's channels. openSentMessage and saveSentMessage only report the stored file here
 * (handled: false); the Electron host overrides them to open it with the system's mail viewer and
 * to copy it where the user chooses in a save dialog, as it does for openExternal.
 */
export function outboxHandlers(services: CoreServices): HandlerGroup<OutboxChannel> {
  const service = services.outbox;
  const { outbox } = service;
  return {
    async listOutbox({ view, subscriberId }, context) {
      service.lease(subscriberId, context.emit);
      const entries = await outbox.list(view);
      return ok({ entries, pending: outbox.pendingCount(), leaseMs: SUBSCRIPTION_LEASE_MS });
    },
    retryOutboxEntry: ({ id }) => outbox.retry(id),
    cancelOutboxEntry: ({ id }) => outbox.cancel(id),
    resendSentMessage: ({ id }) => outbox.resend(id),
    async removeOutboxEntry({ id }) {
      const removed = await outbox.remove(id);
      return removed.ok ? ok({}) : removed;
    },
    async openSentMessage({ id }) {
      const file = await outbox.messageFile(id);
      return file.ok ? ok({ id, ...file.value, handled: false }) : file;
    },
    async saveSentMessage({ id }) {
      const file = await outbox.messageFile(id);
      return file.ok ? ok({ id, ...file.value, handled: false }) : file;
    },
    async kickOutbox() {
      await outbox.kick();
      return ok({});
    },
  };
}
