import type { AccountSummary, Identity } from '../../../shared/domain/account';
import type { BodyMode } from '../../../shared/domain/drafts';
import type { Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { plainTextToHtml, signatureText } from '../../../shared/domain/outgoing-message';
import { showCompose } from './compose-route';

// Kept here too for compose's own imports; the shell takes it from compose-route (no editor code).
export { isStandaloneComposeWindow } from './compose-route';

/** Every identity of every account, as the From picker lists them. */
export function fromChoices(accounts: AccountSummary[]) {
  return accounts.flatMap((account) =>
    account.identities.map((identity) => ({
      key: `${account.id}/${identity.id}`,
      accountId: account.id,
      identity,
      label: identity.name ? `${identity.name} <${identity.address}>` : identity.address,
    })),
  );
}
export type FromChoice = ReturnType<typeof fromChoices>[number];

/** A new message's body: empty, with the sender's signature below the cursor when it has one. */
export function bodyWithSignature(
  identity: Identity | undefined,
  mode: BodyMode,
): { html: string; text: string } {
  const text = signatureText(identity?.signature ?? '');
  return mode === 'rich' ? { html: plainTextToHtml(text), text } : { html: '', text };
}

/**
 * Creates a draft for the default sender (signature included) and shows it: in its own window where
 * the host has windows (Electron), otherwise at #/compose/<id> in this page (browser host).
 */
export async function startNewMessage(
  accounts: AccountSummary[],
  defaultAccountId: string | null,
): Promise<Result<{ draftId: string; opened: boolean }>> {
  const account = accounts.find((a) => a.id === defaultAccountId) ?? accounts[0];
  const identity =
    account?.identities.find((i) => i.id === account.defaultIdentityId) ?? account?.identities[0];
  const created = await mailroom().createDraft({
    accountId: account?.id ?? '',
    identityId: identity?.id ?? '',
    mode: 'rich',
    ...bodyWithSignature(identity, 'rich'),
  });
  if (!created.ok) return created;
  const draftId = created.value.id;
  const opened = await mailroom().openComposeWindow({ id: draftId });
  if (!opened.ok) return opened;
  if (!opened.value.opened) showCompose(draftId);
  return { ok: true, value: { draftId, opened: opened.value.opened } };
}
