/*
 * The OAuth2 authorization servers behind the providers that accept XOAUTH2 for SMTP, and the scopes
 * SMTP sending needs. Facts from each provider's developer documentation; endpoints may be replaced by
 * a profile's oauth-clients.json (tests point them at a local server). Client IDs are not here: they
 * belong to whoever builds or configures Mailroom (see electron/core/oauth/oauth-client-config.ts).
 */

export type OAuthServiceId = 'google' | 'microsoft' | 'yahoo' | 'aol';
export const OAUTH_SERVICE_IDS: readonly OAuthServiceId[] = ['google', 'microsoft', 'yahoo', 'aol'];

export interface OAuthEndpoints {
  /** The issuer identifier (checked against an id_token's iss when the server returns one). */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** RFC 7009 token revocation, where the provider offers it; sign-out only deletes locally otherwise. */
  revocationEndpoint?: string | undefined;
}

export interface OAuthService extends OAuthEndpoints {
  id: OAuthServiceId;
  /** As on the button: "Sign in with Google". */
  name: string;
  scopes: readonly string[];
  /** Extra authorization request parameters the provider needs to hand out a refresh token. */
  authorizationParams: Readonly<Record<string, string>>;
  /** Provider database entries (shared/providers/provider-data.ts) served by this authorization server. */
  providerIds: readonly string[];
  /** Where a developer registers a client ID for this service (shown when none is configured). */
  registrationUrl: string;
}

export const OAUTH_SERVICES: readonly OAuthService[] = [
  {
    id: 'google',
    name: 'Google',
    issuer: 'https://accounts.google.com',
    authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenEndpoint: 'https://oauth2.googleapis.com/token',
    revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
    // The full mail scope is the only one Gmail's SMTP server accepts for XOAUTH2.
    scopes: ['https://mail.google.com/'],
    // offline + consent: without them Google returns no refresh token on a repeated sign-in.
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    providerIds: ['gmail', 'google-workspace'],
    registrationUrl: 'https://console.cloud.google.com/apis/credentials',
  },
  {
    id: 'microsoft',
    name: 'Microsoft',
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    authorizationEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    // The Microsoft identity platform has no RFC 7009 endpoint: sign-out deletes the token here only.
    scopes: ['https://outlook.office.com/SMTP.Send', 'offline_access'],
    authorizationParams: {},
    providerIds: ['outlook-com', 'microsoft-365'],
    registrationUrl: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
  },
  {
    id: 'yahoo',
    name: 'Yahoo',
    issuer: 'https://api.login.yahoo.com',
    authorizationEndpoint: 'https://api.login.yahoo.com/oauth2/request_auth',
    tokenEndpoint: 'https://api.login.yahoo.com/oauth2/get_token',
    // Mail access for SMTP/IMAP is granted by Yahoo per application ("mail-w").
    scopes: ['mail-w'],
    authorizationParams: {},
    providerIds: ['yahoo'],
    registrationUrl: 'https://developer.yahoo.com/apps/',
  },
  {
    id: 'aol',
    name: 'AOL',
    issuer: 'https://api.login.aol.com',
    authorizationEndpoint: 'https://api.login.aol.com/oauth2/request_auth',
    tokenEndpoint: 'https://api.login.aol.com/oauth2/get_token',
    scopes: ['mail-w'],
    authorizationParams: {},
    providerIds: ['aol'],
    registrationUrl: 'https://developer.yahoo.com/apps/',
  },
];

export function findOAuthService(id: string): OAuthService | undefined {
  return OAUTH_SERVICES.find((s) => s.id === id);
}

/** The authorization server for a provider database entry ("gmail" -> Google), if Mailroom knows one. */
export function oauthServiceForProvider(providerId: string): OAuthService | undefined {
  return OAUTH_SERVICES.find((s) => s.providerIds.includes(providerId));
}

/** The build-time / environment variable that carries a service's client ID. */
export const clientIdEnvVar = (id: OAuthServiceId): string => `MAILROOM_OAUTH_${id.toUpperCase()}_CLIENT_ID`;
