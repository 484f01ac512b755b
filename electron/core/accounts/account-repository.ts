import { z } from 'zod';
import { IdentitySchema, CredentialModeSchema } from '../../../shared/domain/account';
import { SmtpSettingsSchema } from '../../../shared/domain/smtp-settings';
import { corruptSettings } from '../settings/checked-settings-store';
import type { SettingsStore } from '../settings/settings-store';
import { cachedWhileUnchanged } from '../settings/settings-file-version';

/** What is written to the settings file: settings only. The secret lives in the SecretVault. */
export const StoredAccountSchema = z.object({
  id: z.string(),
  label: z.string(),
  smtp: SmtpSettingsSchema,
  identities: z.array(IdentitySchema).min(1),
  defaultIdentityId: z.string(),
  /** 'keychain': the secret is in the OS keychain. 'session': in this process's memory until it quits. */
  credentialMode: CredentialModeSchema,
  /**
   * True while the keychain may hold an entry for this account: a keychain that then answers "nothing"
   * is noticed (locked), not believed, and removing the account knows to delete the entry.
   */
  secretStored: z.boolean(),
  verifiedAt: z.string().optional(),
});
export type StoredAccount = z.infer<typeof StoredAccountSchema>;

const ACCOUNTS_KEY = 'accounts';
const DEFAULT_ACCOUNT_KEY = 'defaultAccountId';

/**
 * The accounts as records in the settings file, and which one is the default. Reads throw
 * SettingsUnreadableError (corruptSettings) for a file whose accounts are not in a known shape.
 */
export class AccountRepository {
  /** Parsed once per version of the settings file (the outbox asks for every message it queues). */
  private readonly cached: () => StoredAccount[];

  constructor(private readonly settings: SettingsStore) {
    this.cached = cachedWhileUnchanged(settings.path, () => this.parse());
  }

  /** The settings file's path: callers key caches on its version. */
  get path(): string {
    return this.settings.path;
  }

  /** Every stored account. Callers must not change the records (they copy before editing). */
  all(): StoredAccount[] {
    return this.cached();
  }

  private parse(): StoredAccount[] {
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

  find(accountId: string): StoredAccount | undefined {
    return this.all().find((a) => a.id === accountId);
  }

  /** Adds the account; the first one becomes the default. */
  add(account: StoredAccount, existing: StoredAccount[] = this.all()): void {
    this.settings.set(ACCOUNTS_KEY, [...existing, account]);
    if (existing.length === 0) this.settings.set(DEFAULT_ACCOUNT_KEY, account.id);
  }

  /** Writes the account in place of the stored one with the same id. */
  save(account: StoredAccount): void {
    this.settings.set(
      ACCOUNTS_KEY,
      this.all().map((a) => (a.id === account.id ? account : a)),
    );
  }

  /** Removes the account; when it was the default, the next one becomes the default. */
  remove(accountId: string): void {
    const remaining = this.all().filter((a) => a.id !== accountId);
    this.settings.set(ACCOUNTS_KEY, remaining);
    if (this.settings.get(DEFAULT_ACCOUNT_KEY) === accountId) {
      if (remaining[0]) this.settings.set(DEFAULT_ACCOUNT_KEY, remaining[0].id);
      else this.settings.delete(DEFAULT_ACCOUNT_KEY);
    }
  }

  defaultAccountId(accounts: readonly { id: string }[] = this.all()): string | null {
    const id = this.settings.get(DEFAULT_ACCOUNT_KEY);
    if (typeof id === 'string' && accounts.some((a) => a.id === id)) return id;
    return accounts[0]?.id ?? null;
  }

  setDefault(accountId: string): void {
    this.settings.set(DEFAULT_ACCOUNT_KEY, accountId);
  }
}
