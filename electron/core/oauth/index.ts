import type { AccountService } from '../accounts/account-service';
import { OAuthService, type OAuthOptions } from './oauth-service';

export { OAuthService, type OAuthOptions } from './oauth-service';
export { oauthHandlers, withSystemBrowser, type OAuthChannel } from './oauth-handlers';
export type { AccessTokenProvider, AccessTokenRequest } from './access-token-provider';
export { OAUTH_CLIENTS_FILE } from './oauth-client-config';

/** The core's OAuth service, wired as the accounts' access-token provider. */
export function createOAuthService(
  accounts: AccountService,
  profileDir: string,
  options?: OAuthOptions,
): OAuthService {
  const service = new OAuthService(accounts, profileDir, options);
  accounts.useAccessTokens(service);
  return service;
}
