import type * as OAuth from 'oauth4webapi';
import type { MailroomError } from '../../../shared/result';
import type { OAuthClientConfig } from './oauth-client-config';

/**
 * The OAuth 2.0 protocol steps (authorization code + PKCE, refresh, RFC 7009 revocation) through
 * oauth4webapi, which checks state, issuer, PKCE and response shapes for us. This file only adapts it to
 * Mailroom's config and errors. Nothing here logs, and no error message carries a token.
 */

type OAuthModule = typeof OAuth;
let loaded: Promise<OAuthModule> | undefined;
// oauth4webapi is ESM-only; the Electron main bundle is CommonJS, so it is imported when first needed.
const oauth = (): Promise<OAuthModule> => (loaded ??= import('oauth4webapi'));

export interface TokenSet {
  accessToken: string;
  /** Absent when the server keeps the old refresh token valid (Google on refresh). */
  refreshToken?: string | undefined;
  /** Lifetime from now in ms; servers that omit expires_in get a conservative hour. */
  expiresInMs: number;
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  codeVerifier: string;
}

const isLoopback = (raw: string) => {
  const host = new URL(raw).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
};

async function parts(config: OAuthClientConfig) {
  const o = await oauth();
  const as: OAuth.AuthorizationServer = {
    issuer: config.issuer,
    authorization_endpoint: config.authorizationEndpoint,
    token_endpoint: config.tokenEndpoint,
    ...(config.revocationEndpoint ? { revocation_endpoint: config.revocationEndpoint } : {}),
  };
  const client: OAuth.Client = { client_id: config.clientId };
  const auth = config.clientSecret ? o.ClientSecretPost(config.clientSecret) : o.None();
  // https everywhere, except a test or development server on this machine.
  const options = isLoopback(config.tokenEndpoint) ? { [o.allowInsecureRequests]: true } : {};
  return { o, as, client, auth, options };
}

export async function buildAuthorizationRequest(
  config: OAuthClientConfig,
  redirectUri: string,
  loginHint: string | undefined,
): Promise<AuthorizationRequest> {
  const o = await oauth();
  const codeVerifier = o.generateRandomCodeVerifier();
  const state = o.generateRandomState();
  const url = new URL(config.authorizationEndpoint);
  const params: Record<string, string> = {
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scopes.join(' '),
    state,
    code_challenge: await o.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...config.service.authorizationParams,
    ...(loginHint ? { login_hint: loginHint } : {}),
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { url, state, codeVerifier };
}

function tokenSet(response: OAuth.TokenEndpointResponse): TokenSet {
  const lifetime = typeof response.expires_in === 'number' ? response.expires_in : 3600;
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresInMs: lifetime * 1000,
  };
}

/** Checks the redirect (state, error parameters) and exchanges the code with the PKCE verifier. */
export async function exchangeCode(
  config: OAuthClientConfig,
  callbackUrl: URL,
  request: AuthorizationRequest,
  redirectUri: string,
): Promise<TokenSet> {
  const { o, as, client, auth, options } = await parts(config);
  const params = o.validateAuthResponse(as, client, callbackUrl, request.state);
  const response = await o.authorizationCodeGrantRequest(
    as,
    client,
    auth,
    params,
    redirectUri,
    request.codeVerifier,
    options,
  );
  return tokenSet(await o.processAuthorizationCodeResponse(as, client, response));
}

export async function refreshAccessToken(config: OAuthClientConfig, refreshToken: string): Promise<TokenSet> {
  const { o, as, client, auth, options } = await parts(config);
  const response = await o.refreshTokenGrantRequest(as, client, auth, refreshToken, options);
  return tokenSet(await o.processRefreshTokenResponse(as, client, response));
}

/** RFC 7009. False when the provider has no revocation endpoint; throws when it refused or was unreachable. */
export async function revokeToken(config: OAuthClientConfig, token: string): Promise<boolean> {
  if (!config.revocationEndpoint) return false;
  const { o, as, client, auth, options } = await parts(config);
  const response = await o.revocationRequest(as, client, auth, token, options);
  await o.processRevocationResponse(response);
  return true;
}

/** Turns whatever the protocol step threw into words for the user. `during` says which step. */
export function describeOAuthFailure(
  error: unknown,
  serviceName: string,
  during: 'sign-in' | 'refresh',
  label?: string,
): MailroomError {
  const e = error as {
    name?: string;
    code?: string;
    error?: string;
    error_description?: string;
    message?: string;
  };
  const who = label ?? 'this account';
  if (e.code === 'OAUTH_RESPONSE_BODY_ERROR' || e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') {
    const reason = `${e.error ?? 'error'}${e.error_description ? `: ${e.error_description}` : ''}`;
    if (e.error === 'invalid_grant' && during === 'refresh') {
      return {
        code: 'OAUTH_SIGN_IN_REQUIRED',
        message: `${serviceName} no longer accepts Mailroom’s sign-in for ${who} (${reason}): it was revoked, expired, or the password was changed.`,
        hint: `Sign in with ${serviceName} again in Accounts; messages waiting in the outbox are sent once you have.`,
      };
    }
    if (e.error === 'access_denied') {
      return {
        code: 'OAUTH_SIGN_IN_FAILED',
        message: `The sign-in with ${serviceName} was declined, so Mailroom got no permission to send mail (${reason}).`,
        hint: `Sign in again and allow Mailroom to send mail, or use an app password where ${serviceName} allows one.`,
      };
    }
    if (e.error === 'invalid_client' || e.error === 'unauthorized_client') {
      return {
        code: 'OAUTH_NOT_CONFIGURED',
        message: `${serviceName} does not accept the client ID Mailroom is configured with (${reason}).`,
        hint: `Use an app password for this account instead, if ${serviceName} offers them; whoever gave you this copy of Mailroom can update its ${serviceName} sign-in.`,
      };
    }
    return {
      code: 'OAUTH_SIGN_IN_FAILED',
      message: `${serviceName} refused the ${during === 'refresh' ? 'token refresh' : 'sign-in'} for ${who} (${reason}).`,
      hint: during === 'refresh' ? `Sign in with ${serviceName} again in Accounts.` : 'Try signing in again.',
    };
  }
  if (e.code === 'OAUTH_INVALID_RESPONSE' && /state/i.test(e.message ?? '')) {
    return {
      code: 'OAUTH_SIGN_IN_FAILED',
      message: `The answer that came back from the browser does not belong to this sign-in (its state does not match), so Mailroom ignored it and stored nothing.`,
      hint: 'Start the sign-in again from Mailroom and finish it in the browser tab it opens.',
    };
  }
  if (e.name === 'TypeError' || /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/i.test(e.message ?? '')) {
    return {
      code: 'NETWORK_ERROR',
      message: `Mailroom could not reach ${serviceName} to ${during === 'refresh' ? 'renew the sign-in' : 'finish signing in'} (${e.message ?? 'network error'}).`,
      hint: 'Check the internet connection and try again.',
    };
  }
  return {
    code: 'OAUTH_SIGN_IN_FAILED',
    message: `${serviceName} answered in a way Mailroom did not expect (${e.message ?? String(error)}).`,
    hint: during === 'refresh' ? `Sign in with ${serviceName} again in Accounts.` : 'Try signing in again.',
  };
}
