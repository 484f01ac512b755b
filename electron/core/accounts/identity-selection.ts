import type { Identity } from '../../../shared/domain/account';

/**
 * The identity a message from this account is sent as: the one asked for, else the account's
 * default, else its first (an identity removed meanwhile must not stop a queued message).
 */
export function selectIdentity(
  account: { identities: readonly Identity[]; defaultIdentityId: string },
  identityId?: string,
): Identity | undefined {
  return (
    account.identities.find((i) => i.id === (identityId ?? account.defaultIdentityId)) ??
    account.identities[0]
  );
}
