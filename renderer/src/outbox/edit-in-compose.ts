import type { ReopenFields } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { showCompose } from '../compose/compose-route';

/**
 * Takes a message back from the outbox (it is cancelled first if it was still waiting) and opens it
 * as a new draft in compose: the undo-send and Edit paths.
 */
export async function editInCompose(outboxId: string): Promise<Result<{ draftId: string }>> {
  const fields = await mailroom().editOutboxEntry({ id: outboxId });
  if (!fields.ok) return fields;
  return openAsDraft(fields.value);
}

export async function openAsDraft(fields: ReopenFields): Promise<Result<{ draftId: string }>> {
  const names = fields.displayNames ?? {};
  const recipient = (address: string) => ({ name: names[address] ?? '', address });
  const created = await mailroom().createDraft({
    accountId: fields.accountId,
    ...(fields.identityId ? { identityId: fields.identityId } : {}),
    to: fields.to.map(recipient),
    cc: fields.cc.map(recipient),
    bcc: fields.bcc.map(recipient),
    subject: fields.subject,
    mode: fields.html !== undefined ? 'rich' : 'plain',
    html: fields.html ?? '',
    text: fields.text,
  });
  if (!created.ok) return created;
  const draftId = created.value.id;
  if (fields.attachments.length > 0) {
    const attached = await mailroom().addDraftAttachments({
      draftId,
      grants: fields.attachments.map((a) => a.grant),
    });
    if (!attached.ok) return attached;
  }
  const opened = await mailroom().openComposeWindow({ id: draftId });
  if (!opened.ok) return opened;
  if (!opened.value.opened) showCompose(draftId);
  return { ok: true, value: { draftId } };
}
