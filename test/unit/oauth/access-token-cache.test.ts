import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenRequest } from '../../../electron/core/oauth/access-token-provider';
import { serializeGrant } from '../../../electron/core/oauth/oauth-grant';
import type { OAuthService } from '../../../electron/core/oauth/oauth-service';
import type { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import {
  startLocalAuthorizationServer,
  type LocalAuthorizationServer,
} from './support/local-authorization-server';

// How OAuthService hands out access tokens for XOAUTH2: from memory while one has more than five minutes
// left, refreshed (one refresh per account at a time) when it has less, when the server refused it, or
// when the grant changed. oauth2-mock-server on 127.0.0.1 is the token endpoint (1-hour tokens, and it
// rotates the refresh token on every refresh, like Microsoft); the clock is moved instead of waited on.

const HOUR = 3600_000;
const MARGIN = 5 * 60_000;

let server: LocalAuthorizationServer;
let oauth: OAuthService;
let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
/** What the account's secret store holds; the service replaces it when the refresh token rotates. */
let stored = serializeGrant('google', 'refresh-token-from-sign-in');
let accountId = '';
let secrets: InMemorySecretStore;

const request = (overrides: Partial<AccessTokenRequest> = {}): AccessTokenRequest => ({
  accountId,
  label: 'ada@gmail.com',
  storedSecret: stored,
  forceRefresh: false,
  ...overrides,
});

async function token(overrides: Partial<AccessTokenRequest> = {}): Promise<string> {
  const result = await oauth.accessTokenFor(request(overrides));
  // The account's secret is what the next request carries (as the credential resolver reads it).
  stored = (await secrets.get(accountId)) ?? stored;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  server = await startLocalAuthorizationServer();
  const built = server.serviceWithAccounts({ now: () => clock });
  oauth = built.service;
  secrets = built.secrets;
  const account = await built.accounts.create({
    email: 'ada@gmail.com',
    displayName: 'Ada',
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls', authMethod: 'oauth2' },
    password: stored,
  });
  if (!account.ok) throw new Error(account.error.message);
  accountId = account.value.id;
});
afterAll(async () => {
  await server?.stop();
});

describe('OAuthService access tokens', () => {
  let first = '';

  it('refreshes when it has no token yet, and stores a rotated refresh token in place of the old one', async () => {
    first = await token();
    expect(server.tokenRequests).toEqual(['refresh_token']);
    const kept = (await secrets.get(accountId)) ?? '';
    expect(JSON.parse(kept)).toMatchObject({ type: 'oauth2', service: 'google' });
    expect(kept).not.toContain('refresh-token-from-sign-in');
  });

  it('reuses the token while it has more than five minutes left', async () => {
    clock += HOUR - MARGIN - 1000; // 5 minutes and 1 second left
    expect(await token()).toBe(first);
    expect(server.tokenRequests).toEqual(['refresh_token']);
  });

  it('renews it once less than five minutes are left, before a send could outlive it', async () => {
    clock += 2000; // 4 minutes 59 seconds left
    const renewed = await token();
    expect(renewed).not.toBe(first);
    expect(server.tokenRequests).toEqual(['refresh_token', 'refresh_token']);
    expect(await token()).toBe(renewed); // and the renewed one is cached in turn
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('refreshes a fresh token anyway when the SMTP server refused it, with one request for parallel sends', async () => {
    const before = await token();
    const tokens = await Promise.all([
      token({ forceRefresh: true }),
      token({ forceRefresh: true }),
      token({ forceRefresh: true }),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before);
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('never reuses a token that came from another grant (a new sign-in)', async () => {
    const cached = await token();
    stored = serializeGrant('google', 'refresh-token-from-a-new-sign-in');
    await secrets.set(accountId, stored);
    expect(await token()).not.toBe(cached);
    expect(server.tokenRequests).toHaveLength(4);
  });

  it('asks to sign in again, and forgets the cached token, when the provider refuses the refresh', async () => {
    server.refuseNextTokenRequest();
    const refused = await oauth.accessTokenFor(request({ forceRefresh: true }));
    expect(refused.ok || refused.error.code).toBe('OAUTH_SIGN_IN_REQUIRED');
    expect(refused.ok || refused.error.hint).toMatch(/Sign in with Google again/);
    // Nothing cached is handed out afterwards: the next request goes to the provider again.
    await token();
    expect(server.tokenRequests).toHaveLength(6);
  });

  it('asks to sign in when what is stored is not a sign-in (a password from before), without asking the provider', async () => {
    const result = await oauth.accessTokenFor(request({ accountId: 'acc-2', storedSecret: 'hunter2' }));
    expect(result.ok || result.error.code).toBe('OAUTH_SIGN_IN_REQUIRED');
    expect(result.ok || result.error.message).toMatch(/not an OAuth2 sign-in/);
    expect(server.tokenRequests).toHaveLength(6);
  });
});
