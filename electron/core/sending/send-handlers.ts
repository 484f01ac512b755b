import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { outboxFor } from '../outbox/outbox-service';

/**
 * Sending goes through the outbox (store and forward): sendMessage resolves as soon as the complete
 * message is safely on disk, with state 'queued' and an empty response. The window that sent it then
 * gets sendStatus events for its requestId: queued (with the undo deadline) -> sending (bytes) ->
 * sent (the server's reply) or failed (what went wrong and what to do).
 */
export function sendHandlers(services: CoreServices): HandlerGroup<'sendMessage'> {
  const service = outboxFor(services);
  return {
    async sendMessage(request, context) {
      const requestId = request.requestId;
      const queued = await service.outbox.enqueue({
        accountId: request.accountId,
        identityId: request.identityId,
        to: request.to,
        cc: request.cc,
        bcc: request.bcc,
        subject: request.subject,
        text: request.text,
        html: request.html,
        attachments: (request.attachments ?? []).map((a) => ({
          path: a.path,
          ...(a.filename ? { filename: a.filename } : {}),
        })),
        displayNames: request.displayNames,
        sendAt: request.sendAt,
        onQueued: requestId ? (entry) => service.follow(entry, requestId, context.emit) : undefined,
      });
      if (!queued.ok) {
        if (requestId)
          context.emit('sendStatus', {
            requestId,
            state: 'failed',
            detail: queued.error.message,
            error: queued.error,
          });
        return queued;
      }
      const entry = queued.value;
      return ok({
        messageId: entry.messageId,
        response: '',
        accepted: [],
        rejected: [],
        outboxId: entry.id,
        state: 'queued' as const,
        ...(entry.holdUntil ? { holdUntil: entry.holdUntil } : {}),
      });
    },
  };
}
