import type { Result } from '../../../shared/result';

/**
 * The seam between accounts and OAuth: for an account whose smtp.authMethod is 'oauth2', the secret
 * the account keeps (keychain or session memory) is its OAuth grant, and this turns it into an access
 * token for XOAUTH2. CredentialResolver.credentialsFor calls it, so every sender (the outbox, the
 * settings check, the CLI) gets a fresh token without knowing about OAuth. A provider that rotates
 * the refresh token stores the new grant through the account actions it was built with.
 */
export interface AccessTokenProvider {
  accessTokenFor(request: AccessTokenRequest): Promise<Result<string>>;
}

export interface AccessTokenRequest {
  accountId: string;
  /** For messages: "you@gmail.com". */
  label: string;
  /** What the account's secret store holds for it (a serialized grant, see oauth-grant.ts). */
  storedSecret: string;
  /**
   * Skip the cached token: the server just refused it (XOAUTH2 535 / 334 with an error JSON), so it
   * was revoked or expired early. Senders retry once with the new one.
   */
  forceRefresh: boolean;
}
