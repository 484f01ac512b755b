import { createHash, randomUUID } from 'node:crypto';
import type { AccountSummary } from '../../../shared/domain/account';
import type {
  AwaitOAuthSignInResponse,
  OAuthStatus,
  SignOutOAuthResponse,
  StartOAuthSignInRequest,
  StartOAuthSignInResponse,
} from '../../../shared/domain/oauth';
import { fail, ok, type MailroomError, type Result } from '../../../shared/result';
import type { AccountService } from '../accounts/account-service';
import { accountNotFound } from '../accounts/account-errors';
import type { AccessTokenProvider, AccessTokenRequest } from './access-token-provider';
import { OAuthClientConfigSource, type OAuthClientConfig } from './oauth-client-config';
import { parseGrant, serializeGrant } from './oauth-grant';
import { openLoopbackListener, type LoopbackListener } from './loopback-listener';
import {
  buildAuthorizationRequest,
  describeOAuthFailure,
  exchangeCode,
  refreshAccessToken,
  revokeToken,
  type TokenSet,
} from './oauth-protocol';

export interface OAuthOptions {
  /** How long a sign-in waits for the browser to come back. */
  signInTimeoutMs?: number | undefined;
  /** Where MAILROOM_OAUTH_<SERVICE>_CLIENT_ID is read from (process.env by default). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The clock token expiry is judged by (tests move it forward instead of waiting an hour). */
  now?: (() => number) | undefined;
}

/** A token this close to expiry is renewed before use: a long send must not outlive its token. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** A finished sign-in waits this long for the wizard to save it to the new account, then is forgotten. */
const COMPLETED_SIGN_IN_TTL_MS = 15 * 60_000;

interface SignIn {
  id: string;
  config: OAuthClientConfig;
  accountId?: string | undefined;
  listener: LoopbackListener;
  outcome: Promise<Result<TokenSet>>;
  cancel: (error: MailroomError) => void;
  tokens?: TokenSet | undefined;
  expiryTimer?: NodeJS.Timeout | undefined;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** Hash of the grant it came from: a new sign-in (new grant) never reuses an old token. */
  grantHash: string;
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

const unknownSignIn = (): MailroomError => ({
  code: 'OAUTH_SIGN_IN_FAILED',
  message: 'That sign-in is no longer in progress (it finished, was cancelled, or timed out).',
  hint: 'Start the sign-in again.',
});

/**
 * OAuth2 for SMTP (XOAUTH2): sign-in in the system browser with a loopback redirect (RFC 8252), the
 * refresh token kept as the account's secret (keychain), access tokens in memory only, renewed before
 * they expire, and sign-out that revokes (RFC 7009) and deletes.
 */
export class OAuthService implements AccessTokenProvider {
  readonly clients: OAuthClientConfigSource;
  private readonly signIns = new Map<string, SignIn>();
  private readonly tokens = new Map<string, CachedToken>();
  private readonly refreshing = new Map<string, Promise<Result<string>>>();
  private readonly signInTimeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly accounts: AccountService,
    profileDir: string,
    options: OAuthOptions = {},
  ) {
    this.clients = new OAuthClientConfigSource(profileDir, options.env);
    this.signInTimeoutMs = options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  status(providerId: string): OAuthStatus {
    return this.clients.status(providerId);
  }

  /** Opens the loopback listener and returns the URL to open in the system browser. */
  async startSignIn(request: StartOAuthSignInRequest): Promise<Result<StartOAuthSignInResponse>> {
    const found = this.clients.lookup(request.providerId);
    if (!found.ok) {
      return fail({
        code: 'OAUTH_NOT_CONFIGURED',
        message: found.status.problem ?? 'OAuth2 sign-in is not available for this provider.',
        hint: found.status.fix ?? 'Use an app password if the provider allows one.',
      });
    }
    const config = found.config;
    if (request.accountId && !this.accounts.summary(request.accountId)) {
      return fail(accountNotFound());
    }
    const listener = await openLoopbackListener();
    const authorization = await buildAuthorizationRequest(config, listener.redirectUri, request.loginHint);
    const id = randomUUID();

    let cancel: (error: MailroomError) => void = () => undefined;
    const cancelled = new Promise<Result<TokenSet>>((resolve) => {
      cancel = (error) => resolve(fail(error));
    });
    const timer = setTimeout(
      () =>
        cancel({
          code: 'OAUTH_SIGN_IN_FAILED',
          message: `The sign-in with ${config.service.name} was not finished within ${Math.round(this.signInTimeoutMs / 60_000) || 1} minutes, so Mailroom stopped waiting.`,
          hint: 'Start it again and finish it in the browser tab that opens.',
        }),
      this.signInTimeoutMs,
    );
    timer.unref();

    const completed = listener.callback.then(async ({ url, respond }): Promise<Result<TokenSet>> => {
      try {
        const tokens = await exchangeCode(config, url, authorization, listener.redirectUri);
        if (!tokens.refreshToken) {
          throw Object.assign(new Error(`${config.service.name} handed out no refresh token`), {
            code: 'NO_REFRESH',
          });
        }
        respond({
          ok: true,
          title: 'You are signed in',
          message: `Mailroom may now send mail with your ${config.service.name} account. You can close this tab and go back to Mailroom.`,
        });
        return ok(tokens);
      } catch (error) {
        const problem = describeOAuthFailure(error, config.service.name, 'sign-in');
        respond({
          ok: false,
          title: 'Sign-in did not work',
          message: `${problem.message} ${problem.hint ?? ''} You can close this tab.`,
        });
        return fail(problem);
      }
    });

    const outcome = Promise.race([completed, cancelled]).then(async (result) => {
      clearTimeout(timer);
      listener.close();
      return this.settle(id, result);
    });
    this.signIns.set(id, { id, config, accountId: request.accountId, listener, outcome, cancel });
    return ok({
      signInId: id,
      authorizationUrl: authorization.url.href,
      timeoutMs: this.signInTimeoutMs,
      opened: false,
    });
  }

  /** A finished sign-in: save it to its account now, or keep it (briefly) for saveSignIn. */
  private async settle(id: string, result: Result<TokenSet>): Promise<Result<TokenSet>> {
    const signIn = this.signIns.get(id);
    if (!signIn) return result;
    if (!result.ok) {
      this.signIns.delete(id);
      return result;
    }
    signIn.tokens = result.value;
    if (signIn.accountId) {
      const saved = await this.storeGrant(signIn, signIn.accountId);
      this.signIns.delete(id);
      return saved.ok ? result : saved;
    }
    signIn.expiryTimer = setTimeout(() => this.signIns.delete(id), COMPLETED_SIGN_IN_TTL_MS);
    signIn.expiryTimer.unref();
    return result;
  }

  /** Waits for the browser to come back (or the timeout, or cancel). */
  async awaitSignIn(signInId: string): Promise<Result<AwaitOAuthSignInResponse>> {
    const signIn = this.signIns.get(signInId);
    if (!signIn) return fail(unknownSignIn());
    const result = await signIn.outcome;
    if (!result.ok) return result;
    const base = { signInId, service: signIn.config.service.id, serviceName: signIn.config.service.name };
    if (!signIn.accountId) return ok(base);
    const account = this.accounts.summary(signIn.accountId);
    return ok({ ...base, ...(account ? { account } : {}) });
  }

  cancelSignIn(signInId: string): void {
    this.signIns.get(signInId)?.cancel({
      code: 'CANCELLED',
      message: 'The sign-in was cancelled.',
      hint: 'Start it again when you are ready.',
    });
  }

  /** The access token of a finished, not yet saved sign-in: lets the wizard check the settings first. */
  accessTokenForSignIn(signInId: string): string | undefined {
    return this.signIns.get(signInId)?.tokens?.accessToken;
  }

  /** Stores a finished sign-in's grant as the account's secret and makes the account use OAuth2. */
  async saveSignIn(signInId: string, accountId: string): Promise<Result<AccountSummary>> {
    const signIn = this.signIns.get(signInId);
    if (!signIn?.tokens) return fail(unknownSignIn());
    const saved = await this.storeGrant(signIn, accountId);
    if (!saved.ok) return saved;
    clearTimeout(signIn.expiryTimer);
    this.signIns.delete(signInId);
    return saved;
  }

  private async storeGrant(signIn: SignIn, accountId: string): Promise<Result<AccountSummary>> {
    const tokens = signIn.tokens;
    const account = this.accounts.summary(accountId);
    if (!tokens?.refreshToken || !account) {
      return fail(accountNotFound());
    }
    if (account.smtp.authMethod !== 'oauth2') {
      const updated = await this.accounts.update({
        accountId,
        smtp: { ...account.smtp, authMethod: 'oauth2' },
      });
      if (!updated.ok) return updated;
    }
    const grant = serializeGrant(signIn.config.service.id, tokens.refreshToken);
    const stored = await this.accounts.setPassword({
      accountId,
      password: grant,
      credentialMode: account.credentialMode,
    });
    if (!stored.ok) return stored;
    this.tokens.set(accountId, {
      accessToken: tokens.accessToken,
      expiresAt: this.now() + tokens.expiresInMs,
      grantHash: hashOf(grant),
    });
    return stored;
  }

  /** Revokes the grant where the provider supports RFC 7009, and deletes it here in any case. */
  async signOut(accountId: string): Promise<Result<SignOutOAuthResponse>> {
    const cleared = await this.accounts.clearSecret(accountId);
    if (!cleared.ok) return cleared;
    this.tokens.delete(accountId);
    const grant = cleared.value.previous ? parseGrant(cleared.value.previous) : undefined;
    let revoked = false;
    if (grant) {
      const found = this.clients.forService(grant.service);
      if (found.ok) revoked = await revokeToken(found.config, grant.refreshToken).catch(() => false);
    }
    return ok({ account: cleared.value.account, revoked });
  }

  /** Stores a rotated grant in place of the old one, where the account keeps its secret. */
  private async replaceGrant(accountId: string, grant: string): Promise<boolean> {
    const account = this.accounts.summary(accountId);
    if (!account) return false;
    const stored = await this.accounts.setPassword({
      accountId,
      password: grant,
      credentialMode: account.credentialMode,
    });
    return stored.ok;
  }

  /** AccessTokenProvider: a token valid for at least a few more minutes, refreshed when needed. */
  accessTokenFor(request: AccessTokenRequest): Promise<Result<string>> {
    const grantHash = hashOf(request.storedSecret);
    const cached = this.tokens.get(request.accountId);
    if (
      !request.forceRefresh &&
      cached &&
      cached.grantHash === grantHash &&
      cached.expiresAt - this.now() > REFRESH_MARGIN_MS
    ) {
      return Promise.resolve(ok(cached.accessToken));
    }
    // One refresh per account at a time: parallel sends share it (and a rotated refresh token).
    const running = this.refreshing.get(request.accountId);
    if (running) return running;
    const refresh = this.refresh(request, grantHash).finally(() => this.refreshing.delete(request.accountId));
    this.refreshing.set(request.accountId, refresh);
    return refresh;
  }

  private async refresh(request: AccessTokenRequest, grantHash: string): Promise<Result<string>> {
    const grant = parseGrant(request.storedSecret);
    if (!grant) {
      return fail({
        code: 'OAUTH_SIGN_IN_REQUIRED',
        message: `${request.label} is set to sign in with OAuth2, but what is saved for it is not an OAuth2 sign-in (perhaps a password from before).`,
        hint: 'Open Accounts and sign in with your provider, or switch the account back to password sign-in.',
      });
    }
    const found = this.clients.forService(grant.service);
    if (!found.ok) {
      return fail({
        code: 'OAUTH_NOT_CONFIGURED',
        message: found.status.problem ?? 'OAuth2 is not configured.',
        hint: found.status.fix ?? '',
      });
    }
    let tokens: TokenSet;
    try {
      tokens = await refreshAccessToken(found.config, grant.refreshToken);
    } catch (error) {
      this.tokens.delete(request.accountId);
      return fail(describeOAuthFailure(error, found.config.service.name, 'refresh', request.label));
    }
    let currentHash = grantHash;
    if (tokens.refreshToken && tokens.refreshToken !== grant.refreshToken) {
      // Microsoft rotates refresh tokens: the new one must replace the old before the old one stops working.
      const next = serializeGrant(grant.service, tokens.refreshToken);
      // The old refresh token usually stays valid for a while; if storing fails, the next refresh tries again.
      if (await this.replaceGrant(request.accountId, next)) currentHash = hashOf(next);
    }
    this.tokens.set(request.accountId, {
      accessToken: tokens.accessToken,
      expiresAt: this.now() + tokens.expiresInMs,
      grantHash: currentHash,
    });
    return ok(tokens.accessToken);
  }

  /** Stops every pending sign-in (host shutdown). */
  close(): void {
    for (const signIn of this.signIns.values()) {
      clearTimeout(signIn.expiryTimer);
      signIn.listener.close();
      signIn.cancel({
        code: 'CANCELLED',
        message: 'Mailroom is closing.',
        hint: 'Sign in again after restarting.',
      });
    }
    this.signIns.clear();
  }
}
