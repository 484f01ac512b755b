import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';

export function accountHandlers({ accounts }: CoreServices): HandlerGroup<'getAppState' | 'createAccount'> {
  return {
    async getAppState() {
      return ok({
        accounts: accounts.list(),
        defaultAccountId: accounts.defaultAccountId(),
        keychain: { available: true },
      });
    },
    async createAccount(request) {
      return accounts.create(request);
    },
  };
}
