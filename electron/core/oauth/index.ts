export { OAuthService, type OAuthOptions } from './oauth-service';
export { oauthHandlers, withSystemBrowser, type OAuthChannel } from './oauth-handlers';
export type { AccessTokenProvider, AccessTokenRequest } from './access-token-provider';
export { OAUTH_CLIENTS_FILE } from './oauth-client-config';

