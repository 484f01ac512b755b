import type { dispatch } from '../../electron/core/ipc/dispatch';

/** A channel call through dispatch, as a window makes it. */
export type Call = (channel: string, payload: unknown) => ReturnType<typeof dispatch>;

export interface DraftFields {
  accountId: string;
  to?: { address: string }[];
  subject: string;
  text: string;
}

/**
 * A draft as the compose window saves it: its fields, then its attachment by grant (the host
 * vouches for the file). Returns the draft's id.
 */
export async function saveDraft(
  call: Call,
  issueGrant: (path: string) => string,
  fields: DraftFields,
  attachment?: string,
): Promise<string> {
  const draft = await call('createDraft', { ...fields, mode: 'plain' });
  if (!draft.ok) throw new Error(`createDraft: ${draft.error.message}`);
  const draftId = (draft.value as { id: string }).id;
  if (attachment) {
    const attached = await call('addDraftAttachments', { draftId, grants: [issueGrant(attachment)] });
    if (!attached.ok) throw new Error(`addDraftAttachments: ${attached.error.message}`);
  }
  return draftId;
}

/** Send pressed on a saved draft: the message is handed to the outbox (no undo window). */
export async function sendSavedDraft(call: Call, draftId: string): Promise<void> {
  const queued = await call('sendDraft', { draftId, undo: false });
  if (!queued.ok) throw new Error(`sendDraft: ${queued.error.message}`);
}

/** One message as compose sends it: the draft saved, then sendDraft. */
export async function sendAsCompose(
  call: Call,
  issueGrant: (path: string) => string,
  fields: DraftFields,
  attachment?: string,
): Promise<void> {
  await sendSavedDraft(call, await saveDraft(call, issueGrant, fields, attachment));
}
