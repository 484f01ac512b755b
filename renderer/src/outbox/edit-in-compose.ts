import type { Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { showCompose } from '../compose/compose-route';

/**
 * Takes a message back from the outbox and opens it in compose: the core cancels it if it was still
 * waiting and makes it a draft again (the outbox keeps no copy that could still go out).
 */
export async function editInCompose(
  outboxId: string,
): Promise<Result<{ draftId: string; missingAttachments: string[] }>> {
  const reopened = await mailroom().reopenOutboxEntry({ id: outboxId });
  if (!reopened.ok) return reopened;
  const { draftId } = reopened.value;
  const opened = await mailroom().openComposeWindow({ id: draftId });
  if (!opened.ok) return opened;
  if (!opened.value.opened) showCompose(draftId);
  return reopened;
}
