import { fail, ok, type Result } from '../../../shared/result';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { CoreServices, HandlerGroup } from '../core-services';
import type { DraftStore } from '../drafts/draft-store';
import { outboxFor } from '../outbox/outbox-service';
import type { OutboxAttachment } from '../../../shared/domain/outbox';

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
      const attachments = await draftAttachments(services.drafts, request);
      const queued = !attachments.ok
        ? attachments
        : await service.outbox.enqueue({
            accountId: request.accountId,
            identityId: request.identityId,
            to: request.to,
            cc: request.cc,
            bcc: request.bcc,
            subject: request.subject,
            text: request.text,
            html: request.html,
            attachments: attachments.value,
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

/**
 * The files to attach, looked up in the sending draft: its file is written only by the core, from
 * grants, so a request can pick among the files the user chose but never name another.
 */
async function draftAttachments(
  drafts: DraftStore,
  request: RequestOf<'sendMessage'>,
): Promise<Result<OutboxAttachment[]>> {
  const wanted = request.attachments ?? [];
  if (wanted.length === 0) return ok([]);
  const notGranted = fail({
    code: 'ATTACHMENT_NOT_GRANTED',
    message: 'The message was not sent: its attachments are not attached to the draft it came from.',
    hint: 'Attach the files again with “Attach files…” or by dropping them, then send.',
  });
  if (!request.draftId) return notGranted;
  const draft = await drafts.get(request.draftId);
  if (!draft.ok) return draft;
  const chosen: OutboxAttachment[] = [];
  for (const { draftAttachmentId } of wanted) {
    const attachment = draft.value.attachments.find((a) => a.id === draftAttachmentId);
    if (!attachment) return notGranted;
    if (!attachment.present) {
      return fail({
        code: 'FILE_NOT_FOUND',
        message: `The message was not sent: “${attachment.name}” is no longer where it was attached.`,
        hint: 'Remove it or attach it again, then send.',
      });
    }
    chosen.push({ path: attachment.path, filename: attachment.name });
  }
  return ok(chosen);
}
