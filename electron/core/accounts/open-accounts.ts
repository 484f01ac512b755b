import { fail } from '../../../shared/result';
import type { SecretStore } from '../credentials/secret-store';
import type { AccessTokenProvider } from '../oauth/access-token-provider';
import type { SettingsStore } from '../settings/settings-store';
import { AccountRepository } from './account-repository';
import { AccountService } from './account-service';
import { CredentialResolver } from './credential-resolver';
import { SecretVault } from './secret-vault';

/** For hosts and tests without OAuth2 sign-in: an OAuth2 account cannot get a token. */
const withoutOAuth: AccessTokenProvider = {
  accessTokenFor: async () =>
    fail({
      code: 'OAUTH_NOT_CONFIGURED',
      message: 'OAuth2 sign-in is not available here.',
      hint: 'Use the Mailroom app, or an app password.',
    }),
};

/**
 * The accounts' parts over one settings file and one secret store, wired in the one order that has
 * no loop: records and secrets, then the user's actions on them, then whatever turns stored OAuth
 * grants into access tokens (it is handed the account actions), then the resolver senders ask.
 */
export function openAccounts<P extends AccessTokenProvider = AccessTokenProvider>(
  settings: SettingsStore,
  secrets: SecretStore,
  accessTokens: (accounts: AccountService) => P = () => withoutOAuth as P,
) {
  const repository = new AccountRepository(settings);
  const vault = new SecretVault(secrets);
  const accounts = new AccountService(repository, vault);
  const tokens = accessTokens(accounts);
  return { accounts, credentials: new CredentialResolver(repository, vault, tokens), tokens };
}
