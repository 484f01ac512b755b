import type { AccountSummary, Identity } from '../../../shared/domain/account';
import type { BodyMode } from '../../../shared/domain/drafts';
import type { Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { htmlToPlainText, plainTextToHtml, signatureText } from '../../../shared/domain/outgoing-message';
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

/** The signature as it is added to a body: the "-- " line, then the signature (formatted if it is). */
function signatureBlock(identity: Identity | undefined): { html: string; text: string } {
  const text = signatureText(identity?.signature ?? '');
  const formatted = identity?.signatureHtml?.trim();
  return { html: formatted && text ? `<p></p><p></p><p>-- </p>${formatted}` : plainTextToHtml(text), text };
}

/** A new message's body: empty, with the sender's signature below the cursor when it has one. */
export function bodyWithSignature(
  identity: Identity | undefined,
  mode: BodyMode,
): { html: string; text: string } {
  const block = signatureBlock(identity);
  return mode === 'rich' ? block : { html: '', text: block.text };
}

// The separator line in the editor's HTML (ProseMirror drops the trailing space) and in plain text.
const HTML_SEPARATOR = /<p>--\s?<\/p>/g;
const TEXT_SEPARATOR = /(?:^|\n)-- ?\n/g;
const lastMatch = (re: RegExp, s: string) => [...s.matchAll(re)].pop();

/**
 * The body with the previous sender's signature replaced by the next one's, everything the user
 * wrote above it kept as it is. A body without a signature gets the new one at its end; a signature
 * the user has edited is theirs and stays (null: nothing to change).
 */
export function swapSignature(
  body: { html: string; text: string },
  mode: BodyMode,
  before: Identity | undefined,
  after: Identity | undefined,
): { html: string; text: string } | null {
  const old = signatureBlock(before);
  const next = signatureBlock(after);
  if (old.text === next.text && old.html === next.html) return null;
  const oldSignature = old.text.replace(/^\n\n-- \n/, '');
  if (mode === 'plain') {
    const sep = lastMatch(TEXT_SEPARATOR, body.text);
    if (sep && oldSignature && body.text.slice(sep.index + sep[0].length).trimEnd() === oldSignature) {
      // Only the separator and what follows change: the lines above stay exactly as typed.
      const kept = body.text.slice(0, sep.index + (sep[0].startsWith('\n') ? 1 : 0));
      return { html: '', text: next.text ? kept + next.text.replace(/^\n+/, '') : kept.replace(/\n+$/, '') };
    }
    if (sep && oldSignature) return null;
    return next.text ? { html: '', text: body.text.replace(/\n*$/, '') + next.text } : null;
  }
  const sep = lastMatch(HTML_SEPARATOR, body.html);
  const tail = sep ? body.html.slice(sep.index + sep[0].length) : '';
  if (sep && oldSignature && htmlToPlainText(tail).trimEnd() === oldSignature) {
    // Only the separator and what follows change: the paragraphs above stay exactly as typed.
    const kept = body.html.slice(0, sep.index);
    return { html: next.text ? kept + next.html.replace(/^(?:<p><\/p>)+/, '') : kept, text: '' };
  }
  if (sep && oldSignature) return null;
  return next.text ? { html: body.html + next.html, text: '' } : null;
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
