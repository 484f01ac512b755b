import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AccountSummarySchema,
  CredentialModeSchema,
  IdentitySchema,
  type AccountSummary,
} from '../../../shared/domain/account';
import { SmtpSettingsSchema, type SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { CreateAccountRequest } from '../../../shared/ipc/contract';
import { CreateAccountRequestSchema } from '../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { SecretStore } from '../credentials/secret-store';
import type { SettingsStore } from '../settings/settings-store';

/** What is written to the settings file: settings only. The password lives in the SecretStore. */
const StoredAccountSchema = z.object({
  id: z.string(),
  label: z.string(),
  smtp: SmtpSettingsSchema,
  identities: z.array(IdentitySchema).min(1),
  defaultIdentityId: z.string(),
  credentialMode: CredentialModeSchema,
  /** True once a secret was stored, so a keychain that answers "nothing" is noticed, not believed. */
  secretStored: z.boolean(),
  verifiedAt: z.string().optional(),
});
type StoredAccount = z.infer<typeof StoredAccountSchema>;

const ACCOUNTS_KEY = 'accounts';
const DEFAULT_ACCOUNT_KEY = 'defaultAccountId';

export interface AccountCredentials {
  settings: SmtpSettings;
  password: string | undefined;
  identity: { name: string; address: string; replyTo?: string | undefined };
}

export class AccountService {
  constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
  ) {}

  private readAll(): StoredAccount[] {
    const raw = this.settings.get(ACCOUNTS_KEY) ?? [];
    return z.array(StoredAccountSchema).parse(raw);
  }

  private writeAll(accounts: StoredAccount[]): void {
    this.settings.set(ACCOUNTS_KEY, accounts);
  }

  list(): AccountSummary[] {
    return this.readAll().map((a) => this.summarize(a));
  }

  defaultAccountId(): string | null {
    const id = this.settings.get(DEFAULT_ACCOUNT_KEY);
    const accounts = this.readAll();
    if (typeof id === 'string' && accounts.some((a) => a.id === id)) return id;
    return accounts[0]?.id ?? null;
  }

  private summarize(a: StoredAccount): AccountSummary {
    return AccountSummarySchema.parse({
      id: a.id,
      label: a.label,
      smtp: a.smtp,
      identities: a.identities,
      defaultIdentityId: a.defaultIdentityId,
      hasPassword: a.secretStored,
      credentialMode: a.credentialMode,
      verifiedAt: a.verifiedAt,
    });
  }

  async create(input: CreateAccountRequest): Promise<Result<AccountSummary>> {
    const req = CreateAccountRequestSchema.parse(input);
    const id = randomUUID();
    const identityId = randomUUID();
    const hasPassword = req.password !== undefined && req.password !== '';
    // The secret goes first: if the keychain refuses it, no half-made account is left behind.
    if (hasPassword) {
      await this.secrets.set(id, req.password!);
    }
    const account: StoredAccount = {
      id,
      label: req.email,
      smtp: { ...req.smtp, username: req.smtp.username || req.email },
      identities: [{ id: identityId, name: req.displayName, address: req.email, signature: '' }],
      defaultIdentityId: identityId,
      credentialMode: 'keychain',
      secretStored: hasPassword,
      verifiedAt: req.verifiedAt,
    };
    const all = this.readAll();
    this.writeAll([...all, account]);
    if (all.length === 0) this.settings.set(DEFAULT_ACCOUNT_KEY, id);
    return ok(this.summarize(account));
  }

  /** For the main side only: settings plus the secret, to open an SMTP connection. */
  async credentialsFor(accountId: string, identityId?: string): Promise<Result<AccountCredentials>> {
    const account = this.readAll().find((a) => a.id === accountId);
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
    if (account.secretStored) {
      const stored = await this.secrets.get(account.id);
      if (stored === null) {
        // A locked Secret Service answers null without an error: never read that as "no password".
        return fail({
          code: 'KEYCHAIN_LOCKED',
          message: `The password for ${account.label} could not be read from the system keychain.`,
          hint: 'Unlock your keychain (on Linux: the "login" keyring) and try again, or enter the password again in the account settings.',
        });
      }
      password = stored;
    }
    return ok({
      settings: account.smtp,
      password,
      identity: { name: identity.name, address: identity.address, replyTo: identity.replyTo },
    });
  }
}
