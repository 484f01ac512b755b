import type { MailroomError } from '../../../shared/result';

// The accounts' errors, built in one place so every caller (outbox, OAuth, drafts, CLI) words them
// the same way.

export const accountNotFound = (): MailroomError => ({
  code: 'ACCOUNT_NOT_FOUND',
  message: 'That account no longer exists (it may have been removed in another window or by the CLI).',
  hint: 'Pick another account in From, or add the account again in Accounts.',
});

export const identityNotFound = (): MailroomError => ({
  code: 'IDENTITY_NOT_FOUND',
  message: 'That identity no longer exists on this account.',
  hint: 'Reopen the account’s identities to see the current ones.',
});

export const lastIdentity = (): MailroomError => ({
  code: 'INVALID_REQUEST',
  message: 'An account needs at least one identity to send from, so its last one cannot be removed.',
  hint: 'Edit this identity instead, or remove the whole account.',
});
