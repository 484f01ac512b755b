import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Server } from 'oauth2-mock-server';
import { openAccounts } from '../../../../electron/core/accounts/open-accounts';
import type { AccountService } from '../../../../electron/core/accounts/account-service';
import { InMemorySecretStore } from '../../../../electron/core/credentials/secret-store';
import { OAuthService, type OAuthOptions } from '../../../../electron/core/oauth/oauth-service';
import { InMemorySettingsStore } from '../../../../electron/core/settings/settings-store';

/**
 * oauth2-mock-server on 127.0.0.1 standing in for Google (through a temp profile's oauth-clients.json),
 * and an OAuthService pointed at it. Accounts live in memory: these tests are about the sign-in and the
 * tokens, not about where accounts are stored.
 */
export interface LocalAuthorizationServer {
  oauth: OAuth2Server;
  /** grant_type of every token request the server answered, in order. */
  tokenRequests: string[];
  /** Makes the next token request fail the way a provider refuses a revoked refresh token. */
  refuseNextTokenRequest(): void;
  service(options?: OAuthOptions): OAuthService;
  /** The service over in-memory accounts and secrets the test can look into. */
  serviceWithAccounts(options?: OAuthOptions): {
    service: OAuthService;
    accounts: AccountService;
    secrets: InMemorySecretStore;
  };
  stop(): Promise<void>;
}

export async function startLocalAuthorizationServer(): Promise<LocalAuthorizationServer> {
  const oauth = new OAuth2Server();
  await oauth.issuer.keys.generate('RS256');
  await oauth.start(0, '127.0.0.1');
  const issuer = oauth.issuer.url ?? '';
  const tokenRequests: string[] = [];
  // The mock's JWTs carry second-resolution times only; a real provider never issues the same token twice.
  oauth.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    token.payload['jti'] = randomUUID();
  });
  oauth.service.on('beforeResponse', (_response: unknown, req: { body: Record<string, string> }) => {
    tokenRequests.push(req.body['grant_type'] ?? '');
  });

  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-oauth-unit-'));
  writeFileSync(
    join(profileDir, 'oauth-clients.json'),
    JSON.stringify({
      google: {
        clientId: 'mailroom-unit-test',
        endpoints: {
          issuer,
          authorizationEndpoint: `${issuer}/authorize`,
          tokenEndpoint: `${issuer}/token`,
          revocationEndpoint: `${issuer}/revoke`,
        },
      },
    }),
  );
  const services: OAuthService[] = [];
  function serviceWithAccounts(options: OAuthOptions = {}) {
    const secrets = new InMemorySecretStore();
    const { accounts, tokens: service } = openAccounts(
      new InMemorySettingsStore(),
      secrets,
      (accountActions) => new OAuthService(accountActions, profileDir, { env: {}, ...options }),
    );
    services.push(service);
    return { service, accounts, secrets };
  }

  return {
    oauth,
    tokenRequests,
    refuseNextTokenRequest() {
      oauth.service.once('beforeResponse', (response: { body: unknown; statusCode: number }) => {
        response.body = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
        response.statusCode = 400;
      });
    },
    service(options = {}) {
      return serviceWithAccounts(options).service;
    },
    serviceWithAccounts,
    async stop() {
      for (const service of services) service.close();
      await oauth.stop();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  location?: string | undefined;
}

/**
 * One GET on a fresh connection (no keep-alive pool, no redirects followed), like a browser tab's
 * request; rejects with the socket error (ECONNREFUSED) when nothing listens.
 */
export function httpGet(url: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, location: res.headers.location }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The error code of a request that could not connect (ECONNREFUSED), or 'answered'. */
export const connectError = (url: string): Promise<string> =>
  httpGet(url).then(
    () => 'answered',
    (error: NodeJS.ErrnoException) => error.code ?? String(error),
  );
