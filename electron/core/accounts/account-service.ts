import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import {
  AccountSummarySchema,
  AddIdentityRequestSchema,
  CredentialModeSchema,
  IdentitySchema,
  SetAccountPasswordRequestSchema,
  UpdateAccountRequestSchema,
  UpdateIdentityRequestSchema,
  type AccountSummary,
  type AddIdentityRequest,
  type Identity,
  type KeychainStatus,
  type SetAccountPasswordRequest,
  type UpdateAccountRequest,
  type UpdateIdentityRequest,
} from '../../../shared/domain/account';
import { SmtpSettingsSchema, type SmtpSettings } from '../../../shared/domain/smtp-settings';
import { CreateAccountRequestSchema, type CreateAccountRequest } from '../../../shared/ipc/contract';
import { fail, ok, type MailroomError, type Result } from '../../../shared/result';
import { InMemorySecretStore, type SecretStore } from '../credentials/secret-store';
import { KeychainError } from '../credentials/keychain-errors';
import { KeychainMonitor } from '../credentials/keychain-monitor';
import { SettingsUnreadableError, type SettingsStore } from '../settings/settings-store';
import { corruptSettings } from '../settings/checked-settings-store';
import type { AccessTokenProvider } from '../oauth/access-token-provider';

/** What is written to the settings file: settings only. The password lives in the SecretStore. */
const StoredAccountSchema = z.object({
  id: z.string(),
  label: z.string(),
  smtp: SmtpSettingsSchema,
  identities: z.array(IdentitySchema).min(1),
  defaultIdentityId: z.string(),
  /** 'keychain': the password is in the OS keychain. 'session': in this process's memory until it quits. */
  credentialMode: CredentialModeSchema,
  /**
   * True while the keychain may hold an entry for this account: a keychain that then answers "nothing"
   * is noticed (locked), not believed, and removing the account knows to delete the entry.
   */
  secretStored: z.boolean(),
  verifiedAt: z.string().optional(),
});
type StoredAccount = z.infer<typeof StoredAccountSchema>;

const ACCOUNTS_KEY = 'accounts';
const DEFAULT_ACCOUNT_KEY = 'defaultAccountId';

export interface AccountCredentials {
  settings: SmtpSettings;
  password: string | undefined;
  /** authMethod 'oauth2': a current access token from the AccessTokenProvider (password is then undefined). */
  accessToken?: string | undefined;
  identity: { name: string; address: string; replyTo?: string | undefined; signature: string };
}

export interface AccountsState {
  accounts: AccountSummary[];
  defaultAccountId: string | null;
  keychain: KeychainStatus;
}

const notFound = (): MailroomError => ({
  code: 'ACCOUNT_NOT_FOUND',
  message: 'That account no longer exists (it may have been removed in another window).',
  hint: 'Reopen the accounts list to see the current accounts.',
});

const identityNotFound = (): MailroomError => ({
  code: 'IDENTITY_NOT_FOUND',
  message: 'That identity no longer exists on this account.',
  hint: 'Reopen the account’s identities to see the current ones.',
});

/** Settings and keychain failures become Results; anything else is a bug and stays a throw. */
async function guard<T>(action: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SettingsUnreadableError) return fail(error.error);
    if (error instanceof KeychainError) return fail(error.toMailroomError());
    throw error;
  }
}

/**
 * Accounts, their identities, and their passwords. Settings go to the settings file; passwords go to
 * the keychain (one entry per account id) or, in session mode, to this process's memory only. Nothing
 * here ever returns a password to a caller other than credentialsFor (main side only).
 */
export class AccountService {
  private readonly sessionSecrets = new InMemorySecretStore();
  readonly keychain: KeychainMonitor;
  private accessTokens: AccessTokenProvider | undefined;

  constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
  ) {
    this.keychain = new KeychainMonitor(secrets);
  }

  private readAll(): StoredAccount[] {
    const raw = this.settings.get(ACCOUNTS_KEY) ?? [];
    const parsed = z.array(StoredAccountSchema).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${[ACCOUNTS_KEY, ...issue.path].join('.')}: ${issue.message}` : ACCOUNTS_KEY;
      throw corruptSettings(
        this.settings.path,
        `the accounts in it are not in a shape Mailroom knows (${where})`,
      );
    }
    return parsed.data;
  }

  private writeAll(accounts: StoredAccount[]): void {
    this.settings.set(ACCOUNTS_KEY, accounts);
  }

  private find(accountId: string): { all: StoredAccount[]; account: StoredAccount | undefined } {
    const all = this.readAll();
    return { all, account: all.find((a) => a.id === accountId) };
  }

  private replace(all: StoredAccount[], account: StoredAccount): void {
    this.writeAll(all.map((a) => (a.id === account.id ? account : a)));
  }

  /** Throws SettingsUnreadableError for an unusable settings file (other capabilities call this). */
  list(): AccountSummary[] {
    return this.readAll().map((a) => this.summarize(a));
  }

  /** One account as the renderer sees it, or undefined when it no longer exists. Throws like list(). */
  summary(accountId: string): AccountSummary | undefined {
    const { account } = this.find(accountId);
    return account && this.summarize(account);
  }

  defaultAccountId(accounts: readonly { id: string }[] = this.readAll()): string | null {
    const id = this.settings.get(DEFAULT_ACCOUNT_KEY);
    if (typeof id === 'string' && accounts.some((a) => a.id === id)) return id;
    return accounts[0]?.id ?? null;
  }

  /** Everything the UI shows at start: accounts, the default, and whether the keychain works. */
  state(): Promise<Result<AccountsState>> {
    return guard(async () => {
      const accounts = this.list();
      return ok({
        accounts,
        defaultAccountId: this.defaultAccountId(accounts),
        keychain: await this.keychain.status(),
      });
    });
  }

  private summarize(a: StoredAccount): AccountSummary {
    return AccountSummarySchema.parse({
      id: a.id,
      label: a.label,
      smtp: a.smtp,
      identities: a.identities,
      defaultIdentityId: a.defaultIdentityId,
      hasPassword: a.credentialMode === 'session' ? this.sessionSecrets.has(a.id) : a.secretStored,
      credentialMode: a.credentialMode,
      verifiedAt: a.verifiedAt,
    });
  }

  create(input: CreateAccountRequest): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const req = CreateAccountRequestSchema.parse(input);
      const existing = this.readAll(); // a corrupt file stops us before anything reaches the keychain
      const id = randomUUID();
      const identityId = randomUUID();
      const password = req.password ? req.password : undefined;
      const inKeychain = password !== undefined && req.credentialMode === 'keychain';
      // The secret goes first: if the keychain refuses it, no half-made account is left behind.
      if (inKeychain) await this.storeInKeychain(id, password);
      const account: StoredAccount = {
        id,
        label: req.email,
        smtp: { ...req.smtp, username: req.smtp.username || req.email },
        identities: [{ id: identityId, name: req.displayName, address: req.email, signature: '' }],
        defaultIdentityId: identityId,
        credentialMode: req.credentialMode,
        secretStored: inKeychain,
        verifiedAt: req.verifiedAt,
      };
      try {
        this.writeAll([...existing, account]);
        if (existing.length === 0) this.settings.set(DEFAULT_ACCOUNT_KEY, id);
      } catch (error) {
        if (inKeychain) await this.secrets.delete(id).catch(() => false);
        throw error;
      }
      if (password !== undefined && req.credentialMode === 'session')
        await this.sessionSecrets.set(id, password);
      return ok(this.summarize(account));
    });
  }

  /** Writes a secret and makes sure it can be read back (a locked keyring may accept nothing silently). */
  private async storeInKeychain(accountId: string, password: string): Promise<void> {
    await this.keychain.requireUsable();
    try {
      await this.secrets.set(accountId, password);
    } catch (error) {
      this.keychain.forget();
      throw error;
    }
  }

  update(input: UpdateAccountRequest): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const req = UpdateAccountRequestSchema.parse(input);
      const { all, account } = this.find(req.accountId);
      if (!account) return fail(notFound());
      const next: StoredAccount = { ...account };
      if (req.label !== undefined) next.label = req.label;
      if (req.smtp) {
        const defaultIdentity = account.identities.find((i) => i.id === account.defaultIdentityId);
        const smtp = { ...req.smtp, username: req.smtp.username || defaultIdentity?.address || '' };
        // Settings that changed have not been checked against the server: the UI asks to verify again.
        if (!isDeepStrictEqual(smtp, account.smtp)) {
          next.smtp = smtp;
          delete next.verifiedAt;
        }
      }
      if (req.verifiedAt !== undefined) next.verifiedAt = req.verifiedAt;
      this.replace(all, next);
      return ok(this.summarize(next));
    });
  }

  /** Replaces the password, in the keychain or (credentialMode 'session') in memory until quit. */
  setPassword(input: SetAccountPasswordRequest): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const req = SetAccountPasswordRequestSchema.parse(input);
      const { all, account } = this.find(req.accountId);
      if (!account) return fail(notFound());
      const next: StoredAccount = { ...account, credentialMode: req.credentialMode };
      if (req.credentialMode === 'keychain') {
        await this.storeInKeychain(account.id, req.password);
        await this.sessionSecrets.delete(account.id);
        next.secretStored = true;
      } else {
        await this.sessionSecrets.set(account.id, req.password);
        // An old keychain copy would outlive the user's choice; drop it if the keychain lets us.
        if (account.secretStored) next.secretStored = !(await this.deleteFromKeychain(account.id));
      }
      this.replace(all, next);
      return ok(this.summarize(next));
    });
  }

  /** True when the entry is gone. A locked keyring "deletes" nothing and says false, so probe first. */
  private async deleteFromKeychain(accountId: string): Promise<boolean> {
    const status = await this.keychain.status();
    if (!status.available) return false;
    try {
      await this.secrets.delete(accountId);
      return true;
    } catch {
      this.keychain.forget();
      return false;
    }
  }

  setDefault(accountId: string): Promise<Result<Record<string, never>>> {
    return guard(async () => {
      if (!this.find(accountId).account) return fail(notFound());
      this.settings.set(DEFAULT_ACCOUNT_KEY, accountId);
      return ok({});
    });
  }

  /** Removes the account and its keychain entry; refuses while the keychain could not delete the entry. */
  remove(accountId: string): Promise<Result<Record<string, never>>> {
    return guard(async () => {
      const { all, account } = this.find(accountId);
      if (!account) return fail(notFound());
      if (account.secretStored) {
        await this.keychain.requireUsable().catch((error: unknown) => {
          if (error instanceof KeychainError) {
            throw new KeychainError({
              ...error.problem,
              problem: `${account.label} was not removed: its saved password could not be deleted. ${error.problem.problem}`,
              action: `${error.problem.action} Then remove the account again.`,
              fix: `${error.problem.action} Then remove the account again.`,
            });
          }
          throw error;
        });
        await this.secrets.delete(account.id);
      }
      await this.sessionSecrets.delete(account.id);
      const remaining = all.filter((a) => a.id !== account.id);
      this.writeAll(remaining);
      if (this.settings.get(DEFAULT_ACCOUNT_KEY) === account.id) {
        if (remaining[0]) this.settings.set(DEFAULT_ACCOUNT_KEY, remaining[0].id);
        else this.settings.delete(DEFAULT_ACCOUNT_KEY);
      }
      return ok({});
    });
  }

  addIdentity(input: AddIdentityRequest): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const req = AddIdentityRequestSchema.parse(input);
      const { all, account } = this.find(req.accountId);
      if (!account) return fail(notFound());
      const identity: Identity = {
        id: randomUUID(),
        name: req.identity.name,
        address: req.identity.address,
        signature: req.identity.signature,
        ...(req.identity.replyTo ? { replyTo: req.identity.replyTo } : {}),
      };
      const next = { ...account, identities: [...account.identities, identity] };
      this.replace(all, next);
      return ok(this.summarize(next));
    });
  }

  updateIdentity(input: UpdateIdentityRequest): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const req = UpdateIdentityRequestSchema.parse(input);
      const { all, account } = this.find(req.accountId);
      if (!account) return fail(notFound());
      const current = account.identities.find((i) => i.id === req.identityId);
      if (!current) return fail(identityNotFound());
      const updated: Identity = { ...current };
      if (req.name !== undefined) updated.name = req.name;
      if (req.address !== undefined) updated.address = req.address;
      if (req.signature !== undefined) updated.signature = req.signature;
      if (req.replyTo === '') delete updated.replyTo;
      else if (req.replyTo !== undefined) updated.replyTo = req.replyTo;
      const next = {
        ...account,
        identities: account.identities.map((i) => (i.id === current.id ? updated : i)),
      };
      this.replace(all, next);
      return ok(this.summarize(next));
    });
  }

  removeIdentity(accountId: string, identityId: string): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const { all, account } = this.find(accountId);
      if (!account) return fail(notFound());
      if (!account.identities.some((i) => i.id === identityId)) return fail(identityNotFound());
      const identities = account.identities.filter((i) => i.id !== identityId);
      const first = identities[0];
      if (!first) {
        return fail({
          code: 'INVALID_REQUEST',
          message: 'An account needs at least one identity to send from, so its last one cannot be removed.',
          hint: 'Edit this identity instead, or remove the whole account.',
        });
      }
      const defaultIdentityId =
        account.defaultIdentityId === identityId ? first.id : account.defaultIdentityId;
      const next = { ...account, identities, defaultIdentityId };
      this.replace(all, next);
      return ok(this.summarize(next));
    });
  }

  setDefaultIdentity(accountId: string, identityId: string): Promise<Result<AccountSummary>> {
    return guard(async () => {
      const { all, account } = this.find(accountId);
      if (!account) return fail(notFound());
      if (!account.identities.some((i) => i.id === identityId)) return fail(identityNotFound());
      const next = { ...account, defaultIdentityId: identityId };
      this.replace(all, next);
      return ok(this.summarize(next));
    });
  }

  /** OAuth accounts (authMethod 'oauth2') get their access tokens from here (set once by the core). */
  useAccessTokens(provider: AccessTokenProvider): void {
    this.accessTokens = provider;
  }

  /**
   * Deletes the account's secret (keychain and session) and returns what it was, e.g. for OAuth
   * sign-out to revoke the grant. The account stays; hasPassword becomes false.
   */
  clearSecret(accountId: string): Promise<Result<{ account: AccountSummary; previous: string | undefined }>> {
    return guard(async () => {
      const { all, account } = this.find(accountId);
      if (!account) return fail(notFound());
      let previous = (await this.sessionSecrets.get(account.id)) ?? undefined;
      const next: StoredAccount = { ...account };
      if (account.secretStored) {
        await this.keychain.requireUsable();
        previous = (await this.secrets.get(account.id)) ?? previous;
        await this.secrets.delete(account.id);
        next.secretStored = false;
      }
      await this.sessionSecrets.delete(account.id);
      this.replace(all, next);
      return ok({ account: this.summarize(next), previous });
    });
  }

  /**
   * For the main side only: settings plus the secret, to open an SMTP connection. For OAuth accounts
   * the secret is an access token; `refreshAccessToken` asks for a new one after the server refused it.
   */
  credentialsFor(
    accountId: string,
    identityId?: string,
    options: { refreshAccessToken?: boolean } = {},
  ): Promise<Result<AccountCredentials>> {
    return guard(async () => {
      const { account } = this.find(accountId);
      if (!account) {
        return fail({
          code: 'ACCOUNT_NOT_FOUND',
          message: 'That account no longer exists.',
          hint: 'Pick another account in the From field, or add the account again.',
        });
      }
      const identity =
        account.identities.find((i) => i.id === (identityId ?? account.defaultIdentityId)) ??
        account.identities[0]!;
      let password: string | undefined;
      if (account.credentialMode === 'session') {
        password = (await this.sessionSecrets.get(account.id)) ?? undefined;
        if (password === undefined && account.smtp.authMethod === 'password') {
          return fail({
            code: 'PASSWORD_MISSING',
            message: `Mailroom needs the password for ${account.label} again: without a usable keychain it keeps passwords only until it quits.`,
            hint: 'Enter the password in Accounts (Change password). To have it remembered, make the system keychain available and choose “Save in keychain”.',
          });
        }
      } else if (account.secretStored) {
        const stored = await this.secrets.get(account.id);
        if (stored === null) {
          // A locked Secret Service answers null without an error: never read that as "no password".
          const locked = this.keychain.markLocked();
          return fail({
            code: 'KEYCHAIN_LOCKED',
            message: `The password for ${account.label} could not be read from the system keychain: it is locked, or the saved password was deleted outside Mailroom.`,
            hint: `${locked.problem.action} Or enter the password again in Accounts (Change password), for this session only if need be.`,
          });
        }
        password = stored;
      }
      let accessToken: string | undefined;
      if (account.smtp.authMethod === 'oauth2' && this.accessTokens) {
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
          forceRefresh: options.refreshAccessToken === true,
          replaceStoredSecret: async (secret) => {
            const stored = await this.setPassword({
              accountId: account.id,
              password: secret,
              credentialMode: account.credentialMode,
            });
            if (!stored.ok) throw new Error(stored.error.message);
          },
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
