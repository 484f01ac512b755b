import type { CoreServices, HandlerGroup } from '../core-services';

type AccountChannel =
  | 'getAppState'
  | 'createAccount'
  | 'updateAccount'
  | 'setAccountPassword'
  | 'setDefaultAccount'
  | 'removeAccount'
  | 'addIdentity'
  | 'updateIdentity'
  | 'removeIdentity'
  | 'setDefaultIdentity';

/** Accounts, identities and credentials. Responses carry hasPassword, never the password itself. */
export function accountHandlers({ accounts }: CoreServices): HandlerGroup<AccountChannel> {
  return {
    getAppState: () => accounts.state(),
    createAccount: (request) => accounts.create(request),
    updateAccount: (request) => accounts.update(request),
    setAccountPassword: (request) => accounts.setPassword(request),
    setDefaultAccount: ({ accountId }) => accounts.setDefault(accountId),
    removeAccount: ({ accountId }) => accounts.remove(accountId),
    addIdentity: (request) => accounts.addIdentity(request),
    updateIdentity: (request) => accounts.updateIdentity(request),
    removeIdentity: ({ accountId, identityId }) => accounts.removeIdentity(accountId, identityId),
    setDefaultIdentity: ({ accountId, identityId }) => accounts.setDefaultIdentity(accountId, identityId),
  };
}
