import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { fail, ok, type Result } from '../../../shared/result';
import type { AccessTokenProvider } from '../oauth/access-token-provider';
import { fileVersion } from '../settings/settings-file-version';
import { accountNotFound } from './account-errors';
import type { AccountRepository, StoredAccount } from './account-repository';
import { guardAccounts } from './guard-accounts';
import { selectIdentity } from './identity-selection';
import type { SecretVault } from './secret-vault';

export interface SenderIdentity {
  name: string;
  address: string;
  replyTo?: string | undefined;
  signature: string;
}

export interface AccountCredentials {
  settings: SmtpSettings;
  password: string | undefined;
  /** authMethod 'oauth2': a current access token (password is then undefined). */
  accessToken?: string | undefined;
  identity: SenderIdentity;
}

export interface CredentialOptions {
  /** The server just refused the access token: get a new one (OAuth2 accounts). */
  refreshAccessToken?: boolean;
  /**
   * A sender of many messages (the outbox) may reuse what it read a moment ago instead of asking the
   * settings file and the keychain for every message (see CREDENTIALS_REUSE_MS).
   */
  reuse?: boolean;
}

/**
 * How long an account's settings + password are reused between deliveries without asking the
 * settings file and the keychain again. Any change to the settings file (every account change,
 * password changes included, rewrites it) ends it at once; this bounds only changes made behind
 * Mailroom's back (a password deleted from the keychain by another tool, a keychain being locked).
 */
export const CREDENTIALS_REUSE_MS = 10_000;

/**
 * What it takes to sign in for an account: its settings and its secret, which is a password or,
 * for OAuth2 accounts, an access token made from the stored grant. Main side only: nothing here ever
 * reaches the renderer. Every sender (the outbox, the settings check, the CLI) asks here.
 */
export class CredentialResolver {
  private readonly reused = new Map<string, { version: string; at: number; value: AccountCredentials }>();

  constructor(
    private readonly repository: AccountRepository,
    private readonly vault: SecretVault,
    private readonly accessTokens: AccessTokenProvider,
    private readonly now: () => number = Date.now,
  ) {}

  /** Who a message from this account is sent as (at enqueue; no secret is read). */
  identityFor(accountId: string, identityId?: string): Result<SenderIdentity> {
    const account = this.guardedFind(accountId);
    if (!account.ok) return account;
    const identity = selectIdentity(account.value, identityId);
    if (!identity) return fail(accountNotFound());
    return ok({
      name: identity.name,
      address: identity.address,
      replyTo: identity.replyTo,
      signature: identity.signature,
    });
  }

  async credentialsFor(
    accountId: string,
    identityId?: string,
    options: CredentialOptions = {},
  ): Promise<Result<AccountCredentials>> {
    const key = `${accountId}\0${identityId ?? ''}`;
    // The version is taken before reading, so a change made during the read is seen next time.
    const version = options.reuse ? fileVersion(this.repository.path) : undefined;
    const at = this.now();
    const hit = this.reused.get(key);
    if (
      hit &&
      version !== undefined &&
      hit.version === version &&
      at - hit.at < CREDENTIALS_REUSE_MS &&
      !options.refreshAccessToken
    ) {
      return ok(hit.value);
    }
    const result = await this.read(accountId, identityId, options.refreshAccessToken === true);
    // Never reused for OAuth2: access tokens have their own cache and expiry.
    if (result.ok && version !== undefined && result.value.settings.authMethod !== 'oauth2') {
      this.reused.set(key, { version, at, value: result.value });
    } else {
      this.reused.delete(key);
    }
    return result;
  }

  /** An attempt failed or the user asked to try again: read this account afresh next time. */
  forget(accountId: string): void {
    for (const key of this.reused.keys()) if (key.startsWith(`${accountId}\0`)) this.reused.delete(key);
  }

  private guardedFind(accountId: string): Result<StoredAccount> {
    try {
      const account = this.repository.find(accountId);
      return account ? ok(account) : fail(accountNotFound());
    } catch (error) {
      return guardAccounts.sync(error);
    }
  }

  private read(
    accountId: string,
    identityId: string | undefined,
    refresh: boolean,
  ): Promise<Result<AccountCredentials>> {
    return guardAccounts(async () => {
      const account = this.repository.find(accountId);
      if (!account) return fail(accountNotFound());
      const identity = selectIdentity(account, identityId);
      if (!identity) return fail(accountNotFound());
      const secret = await this.vault.read(account);
      if (!secret.ok) return secret;
      let password = secret.value;
      if (
        password === undefined &&
        account.credentialMode === 'session' &&
        account.smtp.authMethod === 'password'
      ) {
        return fail({
          code: 'PASSWORD_MISSING',
          message: `Mailroom needs the password for ${account.label} again: without a usable keychain it keeps passwords only until it quits.`,
          hint: 'Enter the password in Accounts (Change password). To have it remembered, make the system keychain available and choose “Save in keychain”.',
        });
      }
      let accessToken: string | undefined;
      if (account.smtp.authMethod === 'oauth2') {
        if (password === undefined) {
          return fail({
            code: 'OAUTH_SIGN_IN_REQUIRED',
            message: `${account.label} is not signed in: Mailroom has no sign-in from the provider for it${account.credentialMode === 'session' ? ' (without a usable keychain it keeps sign-ins only until it quits)' : ''}.`,
            hint: 'Open Accounts and choose “Sign in again”.',
          });
        }
        const token = await this.accessTokens.accessTokenFor({
          accountId: account.id,
          label: account.label,
          storedSecret: password,
          forceRefresh: refresh,
        });
        if (!token.ok) return token;
        accessToken = token.value;
        password = undefined;
      }
      return ok({
        settings: account.smtp,
        password,
        accessToken,
        identity: {
          name: identity.name,
          address: identity.address,
          replyTo: identity.replyTo,
          signature: identity.signature,
        },
      });
    });
  }
}
