import { basename } from 'node:path';
import type { z } from 'zod';
import { DraftContentSchema, type Draft, type DraftContent } from '../../../shared/domain/drafts';
import { OutgoingMessageSchema, outgoingMessageOf } from '../../../shared/domain/outgoing-message';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { fail, ok, type MailroomError } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import type { CallContext } from '../ipc/dispatch';
import { TurnsByKey } from '../turns';

const FIELD_NAMES: Record<string, string> = {
  accountId: 'From',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  subject: 'Subject',
  text: 'The message text',
  html: 'The message text',
};

/** Why a draft cannot go out, in the compose window's own words (never the draft's contents). */
function notSendable(error: z.ZodError): MailroomError {
  const issue = error.issues[0];
  const field = FIELD_NAMES[String(issue?.path[0] ?? '')] ?? 'The message';
  const index = typeof issue?.path[1] === 'number' ? ` (recipient ${issue.path[1] + 1})` : '';
  return {
    code: 'INVALID_REQUEST',
    message: `The message was not sent: ${field}${index}: ${issue?.message ?? 'not valid'}.`,
    hint: 'Fix it in the message, then send again.',
  };
}

/** What sendDraft answers with: enough for the window to follow the message. */
function receiptOf(entry: OutboxEntry): { messageId: string; outboxId: string; holdUntil?: string } {
  return {
    messageId: entry.messageId,
    outboxId: entry.id,
    ...(entry.holdUntil ? { holdUntil: entry.holdUntil } : {}),
  };
}

/** The draft as typed (no attachments: they travel with the message as files). */
function typedContent(draft: Draft): DraftContent {
  return DraftContentSchema.parse(draft);
}

/**
 * Sending is one call each way, and the core owns it. sendDraft reads the saved draft, builds the
 * message from it (the same functions compose shows it with), queues it in the outbox, remembers its
 * recipients and removes the draft; the window that sent it follows it with sendStatus events.
 * reopenOutboxEntry takes a message back (Undo, Edit): it becomes a draft again, exactly as typed
 * and with its attachments, and leaves nothing in the outbox that could still be sent.
 */
export function sendHandlers(services: CoreServices): HandlerGroup<'sendDraft' | 'reopenOutboxEntry'> {
  const { drafts, recipients } = services;
  // Reached per call: the outbox opens on first use, not when the core is made.
  const outbox = () => services.outbox.outbox;

  function failed(error: MailroomError, requestId: string | undefined, context: CallContext) {
    if (requestId) context.emit('sendStatus', { requestId, state: 'failed', detail: error.message, error });
    return fail(error);
  }

  type Send = HandlerGroup<'sendDraft'>['sendDraft'];
  /**
   * A message sent from a draft is queued under the draft's id, so the outbox itself says whether a
   * draft was sent: a second Send of it (the draft open in two windows, a repeated call, a window
   * still showing a draft whose send was cut short before the draft was removed) answers with the
   * message already queued instead of queueing it again.
   */
  const send: Send = async ({ draftId, sendAt, requestId, undo }, context) => {
    const queuedBefore = await outbox().current(draftId);
    if (queuedBefore) {
      await drafts.discard(draftId);
      if (requestId) services.outbox.follow(queuedBefore, requestId, context.emit);
      return ok(receiptOf(queuedBefore));
    }
    const draft = await drafts.get(draftId);
    if (!draft.ok) return failed(draft.error, requestId, context);
    const message = OutgoingMessageSchema.safeParse(outgoingMessageOf(draft.value));
    if (!message.success) return failed(notSendable(message.error), requestId, context);
    const missing = draft.value.attachments.find((a) => !a.present);
    if (missing) {
      return failed(
        {
          code: 'FILE_NOT_FOUND',
          message: `The message was not sent: “${missing.name}” is no longer where it was attached.`,
          hint: 'Remove it or attach it again, then send.',
        },
        requestId,
        context,
      );
    }
    const queued = await outbox().enqueue({
      ...message.data,
      id: draftId,
      attachments: draft.value.attachments.map((a) => ({ path: a.path, filename: a.name })),
      ...(sendAt ? { sendAt } : {}),
      ...(undo ? {} : { undoDelayMs: 0 }),
      typed: typedContent(draft.value),
      onQueued: requestId ? (entry) => services.outbox.follow(entry, requestId, context.emit) : undefined,
    });
    if (!queued.ok) return failed(queued.error, requestId, context);
    // From here the outbox keeps the message: the draft's job is done.
    await recipients.remember([...draft.value.to, ...draft.value.cc, ...draft.value.bcc]);
    await drafts.discard(draftId);
    return ok(receiptOf(queued.value));
  };
  /**
   * Sends of one draft in this process take turns, each after the one before (whatever it answered),
   * so a later one finds the message the earlier one queued.
   */
  const sending = new TurnsByKey();

  return {
    sendDraft(request, context) {
      return sending.run(request.draftId, () => send(request, context));
    },

    async reopenOutboxEntry({ id }) {
      const taken = await outbox().takeBack(id);
      if (!taken.ok) return taken;
      const { typed, fields } = taken.value;
      const names = fields.displayNames ?? {};
      const recipient = (address: string) => ({ name: names[address] ?? '', address });
      // Entries queued before the typed content was kept reopen from the fields as sent.
      const draft = await drafts.create(
        typed ?? {
          accountId: fields.accountId,
          ...(fields.identityId ? { identityId: fields.identityId } : {}),
          to: fields.to.map(recipient),
          cc: fields.cc.map(recipient),
          bcc: fields.bcc.map(recipient),
          subject: fields.subject,
          mode: fields.html !== undefined ? 'rich' : 'plain',
          html: fields.html ?? '',
          text: fields.text,
        },
      );
      // A message taken back is the user's work: saved, so Drafts lists it if compose is left.
      const saved = await drafts.save(draft.id, typed ?? draft);
      if (!saved.ok) return saved;
      // The outbox's own record of what was attached: paths the core wrote, not the page. A file
      // gone since then is named, and the draft opens without it.
      const missingAttachments: string[] = [];
      for (const attachment of fields.attachments) {
        const attached = await drafts.addAttachments(draft.id, [attachment.path]);
        if (!attached.ok) missingAttachments.push(attachment.filename ?? basename(attachment.path));
      }
      // A message taken back before it went: the draft is now the one copy, so the entry goes and
      // the message cannot go out twice. A sent one stays in the history (Edit as new).
      if (outbox().get(id)?.state !== 'sent') {
        const removed = await outbox().remove(id);
        if (!removed.ok) return removed;
      }
      return ok({ draftId: draft.id, missingAttachments });
    },
  };
}
