import type { DraftContentInput } from '../../../shared/domain/drafts';
import type { Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { showCompose } from './compose-route';

/** What was handed over to send, kept so Undo can bring it back. */
export interface SentContent {
  content: DraftContentInput;
}

/**
 * After Undo: the same message as a draft again, attachments included, opened in compose. The
 * attachments come back from the cancelled outbox entry as grants (this page never names a file).
 * A step that fails is reported, so the user is never told "taken back" while the text is gone.
 */
export async function reopenAsDraft(
  saved: SentContent,
  outboxId: string,
): Promise<Result<{ draftId: string }>> {
  const again = await mailroom().createDraft(saved.content);
  if (!again.ok) return again;
  const draftId = again.value.id;
  const fields = await mailroom().editOutboxEntry({ id: outboxId });
  if (!fields.ok) return fields;
  const grants = fields.value.attachments.map((a) => a.grant);
  if (grants.length) {
    const attached = await mailroom().addDraftAttachments({ draftId, grants });
    if (!attached.ok) return attached;
  }
  const stored = await mailroom().saveDraft({ id: draftId, content: saved.content });
  if (!stored.ok) return stored;
  showCompose(draftId);
  return { ok: true, value: { draftId } };
}
