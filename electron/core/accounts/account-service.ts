import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  AccountSummarySchema,
  AddIdentityRequestSchema,
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
import { CreateAccountRequestSchema, type CreateAccountRequest } from '../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { KeychainError } from '../credentials/keychain-errors';
import type { KeychainMonitor } from '../credentials/keychain-monitor';
import { accountNotFound, identityNotFound, lastIdentity } from './account-errors';
import type { AccountRepository, StoredAccount } from './account-repository';
import { guardAccounts } from './guard-accounts';
import type { SecretVault } from './secret-vault';

export interface AccountsState {
  accounts: AccountSummary[];
  defaultAccountId: string | null;
  keychain: KeychainStatus;
}

/**
 * What the user does with accounts: create, edit, remove, their identities, and their secret. The
 * records live in the AccountRepository (settings file), the secrets in the SecretVault; nothing here
 * ever returns a secret (senders ask the CredentialResolver).
 */
export class AccountService {
  readonly keychain: KeychainMonitor;

  constructor(
    private readonly repository: AccountRepository,
    private readonly vault: SecretVault,
  ) {
    this.keychain = vault.keychain;
  }

  /** Throws SettingsUnreadableError for an unusable settings file (other capabilities call this). */
  list(): AccountSummary[] {
    return this.repository.all().map((a) => this.summarize(a));
  }

  /** One account as the renderer sees it, or undefined when it no longer exists. Throws like list(). */
  summary(accountId: string): AccountSummary | undefined {
    const account = this.repository.find(accountId);
    return account && this.summarize(account);
  }

  defaultAccountId(): string | null {
    return this.repository.defaultAccountId();
  }

  /** Everything the UI shows at start: accounts, the default, and whether the keychain works. */
  state(): Promise<Result<AccountsState>> {
    return guardAccounts(async () => {
      const accounts = this.list();
      return ok({
        accounts,
        defaultAccountId: this.repository.defaultAccountId(accounts),
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
      hasPassword: this.vault.has(a),
      credentialMode: a.credentialMode,
      verifiedAt: a.verifiedAt,
    });
  }

  /** Runs `change` on the stored account and saves what it returns (a Result passes through). */
  private edit(
    accountId: string,
    change: (
      account: StoredAccount,
    ) => Promise<StoredAccount | Result<never>> | StoredAccount | Result<never>,
  ): Promise<Result<AccountSummary>> {
    return guardAccounts(async () => {
      const account = this.repository.find(accountId);
      if (!account) return fail(accountNotFound());
      const next = await change(account);
      if ('ok' in next) return next;
      this.repository.save(next);
      return ok(this.summarize(next));
    });
  }

  create(input: CreateAccountRequest): Promise<Result<AccountSummary>> {
    return guardAccounts(async () => {
      const req = CreateAccountRequestSchema.parse(input);
      const existing = this.repository.all(); // a corrupt file stops us before anything reaches the keychain
      const id = randomUUID();
      const identityId = randomUUID();
      const password = req.password ? req.password : undefined;
      const inKeychain = password !== undefined && req.credentialMode === 'keychain';
      // The secret goes first: if the keychain refuses it, no half-made account is left behind.
      if (inKeychain) await this.vault.writeKeychain(id, password);
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
        this.repository.add(account, existing);
      } catch (error) {
        if (inKeychain) await this.vault.discardKeychainEntry(id);
        throw error;
      }
      if (password !== undefined && req.credentialMode === 'session')
        await this.vault.keepForSession(id, password);
      return ok(this.summarize(account));
    });
  }

  update(input: UpdateAccountRequest): Promise<Result<AccountSummary>> {
    const req = UpdateAccountRequestSchema.parse(input);
    return this.edit(req.accountId, (account) => {
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
      return next;
    });
  }

  /** Replaces the secret, in the keychain or (credentialMode 'session') in memory until quit. */
  setPassword(input: SetAccountPasswordRequest): Promise<Result<AccountSummary>> {
    const req = SetAccountPasswordRequestSchema.parse(input);
    return this.edit(req.accountId, async (account) => ({
      ...account,
      credentialMode: req.credentialMode,
      secretStored: await this.vault.store(account, req.password, req.credentialMode),
    }));
  }

  setDefault(accountId: string): Promise<Result<Record<string, never>>> {
    return guardAccounts(async () => {
      if (!this.repository.find(accountId)) return fail(accountNotFound());
      this.repository.setDefault(accountId);
      return ok({});
    });
  }

  /** Removes the account and its keychain entry; refuses while the keychain could not delete the entry. */
  remove(accountId: string): Promise<Result<Record<string, never>>> {
    return guardAccounts(async () => {
      const account = this.repository.find(accountId);
      if (!account) return fail(accountNotFound());
      await this.vault.take(account, {
        refusal: (error) =>
          new KeychainError({
            ...error.problem,
            problem: `${account.label} was not removed: its saved password could not be deleted. ${error.problem.problem}`,
            action: `${error.problem.action} Then remove the account again.`,
            fix: `${error.problem.action} Then remove the account again.`,
          }),
      });
      this.repository.remove(account.id);
      return ok({});
    });
  }

  addIdentity(input: AddIdentityRequest): Promise<Result<AccountSummary>> {
    const req = AddIdentityRequestSchema.parse(input);
    return this.edit(req.accountId, (account) => {
      const identity: Identity = {
        id: randomUUID(),
        name: req.identity.name,
        address: req.identity.address,
        signature: req.identity.signature,
        ...(req.identity.signatureHtml ? { signatureHtml: req.identity.signatureHtml } : {}),
        ...(req.identity.replyTo ? { replyTo: req.identity.replyTo } : {}),
      };
      return { ...account, identities: [...account.identities, identity] };
    });
  }

  updateIdentity(input: UpdateIdentityRequest): Promise<Result<AccountSummary>> {
    const req = UpdateIdentityRequestSchema.parse(input);
    return this.edit(req.accountId, (account) => {
      const current = account.identities.find((i) => i.id === req.identityId);
      if (!current) return fail(identityNotFound());
      const updated: Identity = { ...current };
      if (req.name !== undefined) updated.name = req.name;
      if (req.address !== undefined) updated.address = req.address;
      if (req.signature !== undefined) updated.signature = req.signature;
      if (req.signatureHtml === '') delete updated.signatureHtml;
      else if (req.signatureHtml !== undefined) updated.signatureHtml = req.signatureHtml;
      if (req.replyTo === '') delete updated.replyTo;
      else if (req.replyTo !== undefined) updated.replyTo = req.replyTo;
      return { ...account, identities: account.identities.map((i) => (i.id === current.id ? updated : i)) };
    });
  }

  removeIdentity(accountId: string, identityId: string): Promise<Result<AccountSummary>> {
    return this.edit(accountId, (account) => {
      if (!account.identities.some((i) => i.id === identityId)) return fail(identityNotFound());
      const identities = account.identities.filter((i) => i.id !== identityId);
      const first = identities[0];
      if (!first) return fail(lastIdentity());
      const defaultIdentityId =
        account.defaultIdentityId === identityId ? first.id : account.defaultIdentityId;
      return { ...account, identities, defaultIdentityId };
    });
  }

  setDefaultIdentity(accountId: string, identityId: string): Promise<Result<AccountSummary>> {
    return this.edit(accountId, (account) => {
      if (!account.identities.some((i) => i.id === identityId)) return fail(identityNotFound());
      return { ...account, defaultIdentityId: identityId };
    });
  }

  /**
   * Deletes the account's secret (keychain and session) and returns what it was, e.g. for OAuth
   * sign-out to revoke the grant. The account stays; hasPassword becomes false.
   */
  clearSecret(accountId: string): Promise<Result<{ account: AccountSummary; previous: string | undefined }>> {
    return guardAccounts(async () => {
      const account = this.repository.find(accountId);
      if (!account) return fail(accountNotFound());
      const previous = await this.vault.take(account, { read: true });
      const next: StoredAccount = { ...account, secretStored: false };
      this.repository.save(next);
      return ok({ account: this.summarize(next), previous });
    });
  }
}
