import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { KeytarSecretStore } from '../../../electron/core/credentials/keytar-secret-store';
import { createCore } from '../../../electron/core/mailroom-core';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';
import type { Outbox } from '../../../electron/core/outbox/outbox';
import { startXOAuth2Peers, type XOAuth2Peers } from './support/xoauth2-peers';

// OAuth2 end to end against real peers: oauth2-mock-server as Google's authorization server (its
// /authorize redirects straight back with a code), smtp-server accepting only tokens it issued, the real
// keychain (gnome-keyring), the real settings file and the real outbox.

const noCall = { emit: () => undefined };
let peers: XOAuth2Peers;
let profileDir: string;
let clock = Date.now();
const secrets = new KeytarSecretStore(`Mailroom SMTP oauth test ${randomUUID()}`);
let core: ReturnType<typeof createCore>;
let outbox: Outbox;
let accountId = '';
const logged: string[] = [];

const smtp = (): SmtpSettings => ({
  host: '127.0.0.1',
  port: peers.smtpPort,
  security: 'none',
  allowUnencrypted: true,
  authMethod: 'oauth2',
  username: 'ada@gmail.com',
});

function unwrap<T>(
  result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What the browser does: follow the authorization URL to the provider, which redirects to the loopback. */
async function browse(url: string): Promise<{ status: number; page: string }> {
  const response = await fetch(url, { redirect: 'follow' });
  return { status: response.status, page: await response.text() };
}

function until(id: string, done: (e: OutboxEntry) => boolean): Promise<OutboxEntry> {
  return new Promise((resolve) => {
    const check = (entry: OutboxEntry | undefined) => {
      if (entry?.id === id && done(entry)) {
        stop();
        resolve(entry);
      }
    };
    const stop = outbox.subscribe(({ entry }) => check(entry));
    check(outbox.get(id));
  });
}

async function send(subject: string): Promise<OutboxEntry> {
  await peers.idle();
  const queued = unwrap(
    await outbox.enqueue({
      accountId,
      to: ['charles@example.test'],
      cc: [],
      bcc: [],
      subject,
      text: 'Sent with a token.\n',
      attachments: [],
      undoDelayMs: 0,
    }),
  );
  return until(queued.id, (e) => e.state === 'sent' || e.state === 'failed');
}

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation(
      (...args: unknown[]) => void logged.push(args.map(String).join(' ')),
    );
  }
  peers = await startXOAuth2Peers();
  profileDir = mkdtempSync(join(tmpdir(), 'mailroom-oauth-'));
  // The test config: Google's entry pointed at the local authorization server.
  writeFileSync(
    join(profileDir, 'oauth-clients.json'),
    JSON.stringify({
      google: {
        clientId: 'mailroom-test-client',
        endpoints: {
          issuer: peers.issuer,
          authorizationEndpoint: `${peers.issuer}/authorize`,
          tokenEndpoint: `${peers.issuer}/token`,
          revocationEndpoint: `${peers.issuer}/revoke`,
        },
      },
    }),
  );
  core = createCore({
    profileDir,
    settings: openConfSettingsStore(profileDir),
    secrets,
    oauth: { env: {}, now: () => clock, signInTimeoutMs: 60_000 },
  });
  // Pooled connections close as soon as a send is done, so every send signs in with its current token.
  core.services.settings.set('outbox', { poolIdleMs: 0 });
  outbox = core.services.outbox.outbox;
});

afterAll(async () => {
  await outbox?.close();
  core?.services.oauth.close();
  if (accountId) await secrets.delete(accountId).catch(() => false);
  await peers?.stop();
  vi.restoreAllMocks();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('OAuth2 sign-in (XOAUTH2) with a local authorization server', () => {
  it('says what is missing when no client ID is configured, and points to app passwords', async () => {
    const status = unwrap(await core.handlers.getOAuthStatus({ providerId: 'yahoo' }, noCall));
    expect(status).toMatchObject({ supported: true, configured: false, serviceName: 'Yahoo' });
    expect(status.fix).toMatch(/app password/);
    expect(`${status.problem} ${status.fix}`).not.toMatch(/MAILROOM_|oauth-clients|https?:/);
    const started = await core.handlers.startOAuthSignIn({ providerId: 'yahoo' }, noCall);
    expect(started.ok || started.error.code).toBe('OAUTH_NOT_CONFIGURED');
    expect(started.ok || started.error.hint).toMatch(/app password/);
  });

  it('rejects a redirect whose state is not the one it sent, and stores nothing', async () => {
    const started = unwrap(await core.handlers.startOAuthSignIn({ providerId: 'gmail' }, noCall));
    const forged = new URL(started.authorizationUrl);
    forged.searchParams.set('state', 'not-the-state-mailroom-sent');
    const requestsBefore = peers.tokenRequests.length;
    const tab = await browse(forged.href);
    expect(tab.status).toBe(400);
    expect(tab.page).toContain('does not belong to this sign-in');
    const outcome = await core.handlers.awaitOAuthSignIn({ signInId: started.signInId }, noCall);
    expect(outcome.ok || outcome.error.code).toBe('OAUTH_SIGN_IN_FAILED');
    expect(peers.tokenRequests.length).toBe(requestsBefore); // the code was never exchanged
    const saved = await core.handlers.saveOAuthSignIn({ signInId: started.signInId, accountId: 'x' }, noCall);
    expect(saved.ok).toBe(false);
  });

  it('signs in through the loopback redirect, keeps the refresh token in the keychain, and checks XOAUTH2', async () => {
    const started = unwrap(
      await core.handlers.startOAuthSignIn({ providerId: 'gmail', loginHint: 'ada@gmail.com' }, noCall),
    );
    const url = new URL(started.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('https://mail.google.com/');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(started.opened).toBe(false); // the core opens nothing; the desktop host does

    const tab = await browse(started.authorizationUrl);
    expect(tab.page).toContain('You can close this tab');
    const signedIn = unwrap(await core.handlers.awaitOAuthSignIn({ signInId: started.signInId }, noCall));
    expect(signedIn.serviceName).toBe('Google');

    // The wizard checks the settings with the fresh sign-in before the account exists.
    const check = unwrap(
      await core.handlers.verifySmtp(
        { requestId: 'r1', smtp: smtp(), oauthSignInId: started.signInId },
        noCall,
      ),
    );
    expect(check.steps.find((s) => s.name === 'auth')).toMatchObject({ status: 'passed' });
    expect(check.auth?.mechanism).toBe('XOAUTH2');

    const account = unwrap(
      await core.handlers.createAccount(
        { email: 'ada@gmail.com', displayName: 'Ada', smtp: smtp(), credentialMode: 'keychain' },
        noCall,
      ),
    );
    accountId = account.id;
    const saved = unwrap(
      await core.handlers.saveOAuthSignIn({ signInId: started.signInId, accountId }, noCall),
    );
    expect(saved.hasPassword).toBe(true);
    expect(await secrets.get(accountId)).toContain(peers.issuedRefreshTokens[0]);
  });

  it('sends with the access token it got at sign-in', async () => {
    const sent = await send('First');
    expect(sent.state).toBe('sent');
    expect(peers.received.at(-1)?.raw).toContain('Subject: First');
    expect(peers.acceptedTokens.at(-1)).toBe(peers.issuedAccessTokens[0]);
    expect(peers.tokenRequests).toEqual(['authorization_code']);
  });

  it('refreshes an access token that is about to expire before sending', async () => {
    peers.refuse(peers.issuedAccessTokens[0]!); // expired at the provider too
    clock += 58 * 60_000; // 2 minutes left of the hour: inside the renewal margin
    const sent = await send('After expiry');
    expect(sent.state).toBe('sent');
    expect(peers.tokenRequests).toEqual(['authorization_code', 'refresh_token']);
    expect(peers.acceptedTokens.at(-1)).toBe(peers.issuedAccessTokens[1]);
  });

  it('refreshes once more when the server refuses the token (XOAUTH2 334 + 535), then sends', async () => {
    peers.refuse(peers.issuedAccessTokens[1]!); // revoked at the provider, still "valid" by its expiry
    const sent = await send('After a refused token');
    expect(sent.state).toBe('sent');
    expect(peers.tokenRequests.filter((g) => g === 'refresh_token')).toHaveLength(2);
    expect(peers.acceptedTokens.at(-1)).toBe(peers.issuedAccessTokens[2]);
  });

  it('asks to sign in again when the provider revoked the refresh token (invalid_grant)', async () => {
    peers.refuse(peers.issuedAccessTokens.at(-1)!);
    clock += 2 * 3600_000;
    peers.oauth.service.once('beforeResponse', (response: { body: unknown; statusCode: number }) => {
      response.body = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
      response.statusCode = 400;
    });
    const failed = await send('After revocation');
    expect(failed.state).toBe('failed');
    expect(failed.lastError?.code).toBe('OAUTH_SIGN_IN_REQUIRED');
    expect(failed.lastError?.hint).toMatch(/Sign in with Google again/);
  });

  it('signs out: revokes the refresh token at the provider and deletes it from the keychain', async () => {
    const refreshToken = JSON.parse((await secrets.get(accountId)) ?? '{}').refreshToken as string;
    const out = unwrap(await core.handlers.signOutOAuth({ accountId }, noCall));
    expect(out.revoked).toBe(true);
    expect(out.account.hasPassword).toBe(false);
    await peers.eventually(() => peers.revokedTokens.length > 0);
    expect(peers.revokedTokens).toContain(refreshToken);
    expect(await secrets.get(accountId)).toBeNull();
    const credentials = await core.services.credentials.credentialsFor(accountId);
    expect(credentials.ok || credentials.error.code).toBe('OAUTH_SIGN_IN_REQUIRED');
  });

  it('leaves no token in any file of the profile and in no log output', () => {
    const tokens = [...peers.issuedAccessTokens, ...peers.issuedRefreshTokens];
    expect(tokens.length).toBeGreaterThan(4);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(profileDir);
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      for (const token of tokens) expect(text.includes(token), `${file} holds a token`).toBe(false);
    }
    for (const line of logged) for (const token of tokens) expect(line.includes(token)).toBe(false);
  });
});
