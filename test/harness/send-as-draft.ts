import type { Result } from '../../shared/result';

/** A host's way to call the core (dispatch, IPC, the browser bridge), untyped as tests hold it. */
export type CallChannel = (channel: string, payload: unknown) => Promise<Result<unknown>>;

export interface MessageFields {
  accountId: string;
  identityId?: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
  /** A rich message's editor HTML (the core wraps it as the message's HTML part). */
  html?: string;
  displayNames?: Record<string, string>;
  requestId?: string;
  sendAt?: string;
  /** false: no undo window. */
  undo?: boolean;
  /** Grants of files to attach (from a host's picker). */
  grants?: string[];
}

/**
 * Sends a message the way compose does: a draft with the content, its files by grant, then one
 * sendDraft. Resolves with the step that failed, or with sendDraft's receipt.
 */
export async function sendAsDraft(
  call: CallChannel,
  fields: MessageFields,
): Promise<Result<{ messageId: string; outboxId: string; holdUntil?: string }> & { draftId?: string }> {
  const names = fields.displayNames ?? {};
  const recipient = (address: string) => ({ name: names[address] ?? '', address });
  const draft = await call('createDraft', {
    accountId: fields.accountId,
    ...(fields.identityId ? { identityId: fields.identityId } : {}),
    to: fields.to.map(recipient),
    cc: (fields.cc ?? []).map(recipient),
    bcc: (fields.bcc ?? []).map(recipient),
    subject: fields.subject,
    mode: fields.html !== undefined ? 'rich' : 'plain',
    html: fields.html ?? '',
    text: fields.text,
  });
  if (!draft.ok) return draft;
  const draftId = (draft.value as { id: string }).id;
  if (fields.grants?.length) {
    const attached = await call('addDraftAttachments', { draftId, grants: fields.grants });
    if (!attached.ok) return { ...attached, draftId };
  }
  const sent = (await call('sendDraft', {
    draftId,
    ...(fields.requestId ? { requestId: fields.requestId } : {}),
    ...(fields.sendAt ? { sendAt: fields.sendAt } : {}),
    ...(fields.undo === false ? { undo: false } : {}),
  })) as Result<{ messageId: string; outboxId: string; holdUntil?: string }>;
  return { ...sent, draftId };
}
