import type { DraftContentInput } from '../../../shared/domain/drafts';
import { mailroom } from '../mailroom-api';
import { showCompose } from './compose-route';

/** What was handed over to send, kept so Undo can bring it back. */
export interface SentContent {
  content: DraftContentInput;
  paths: string[];
}

/** After Undo: the same message as a draft again, attachments included, opened in compose. */
export async function reopenAsDraft(saved: SentContent): Promise<void> {
  const again = await mailroom().createDraft(saved.content);
  if (!again.ok) return;
  if (saved.paths.length)
    await mailroom().addDraftAttachments({ draftId: again.value.id, paths: saved.paths });
  await mailroom().saveDraft({ id: again.value.id, content: saved.content });
  showCompose(again.value.id);
}
