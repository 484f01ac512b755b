import type { CredentialModeSchema } from '../../../shared/domain/account';
import type { z } from 'zod';

type CredentialMode = z.infer<typeof CredentialModeSchema>;
import { fail, ok, type Result } from '../../../shared/result';
import { KeychainError } from '../credentials/keychain-errors';
import { KeychainMonitor } from '../credentials/keychain-monitor';
import { InMemorySecretStore, type SecretStore } from '../credentials/secret-store';
import type { StoredAccount } from './account-repository';

/**
 * Where an account's secret (a password, or a serialized OAuth grant) lives: the OS keychain, one
 * entry per account id, or, in 'session' mode, this process's memory until it quits. It knows the
 * keychain's traps: a locked Secret Service answers "nothing" without an error, and "deletes" nothing.
 */
export class SecretVault {
  private readonly session = new InMemorySecretStore();
  readonly keychain: KeychainMonitor;

  constructor(private readonly secrets: SecretStore) {
    this.keychain = new KeychainMonitor(secrets);
  }

  /** True while a secret is known to be kept for the account (the UI's hasPassword). */
  has(account: StoredAccount): boolean {
    return account.credentialMode === 'session' ? this.session.has(account.id) : account.secretStored;
  }

  /**
   * Keeps `secret` for the account in `mode`; returns whether the keychain now holds an entry. Throws
   * KeychainError when the keychain cannot take it, before anything else changed.
   */
  async store(
    account: Pick<StoredAccount, 'id' | 'secretStored'>,
    secret: string,
    mode: CredentialMode,
  ): Promise<boolean> {
    if (mode === 'keychain') {
      await this.writeKeychain(account.id, secret);
      await this.session.delete(account.id);
      return true;
    }
    await this.session.set(account.id, secret);
    // An old keychain copy would outlive the user's choice; drop it if the keychain lets us.
    return account.secretStored ? !(await this.deleteFromKeychain(account.id)) : false;
  }

  /** Writes a secret to the keychain (refusing early when it is unusable). */
  async writeKeychain(accountId: string, secret: string): Promise<void> {
    await this.keychain.requireUsable();
    try {
      await this.secrets.set(accountId, secret);
    } catch (error) {
      this.keychain.forget();
      throw error;
    }
  }

  async keepForSession(accountId: string, secret: string): Promise<void> {
    await this.session.set(accountId, secret);
  }

  /** Undoes a keychain write whose account could not be saved (best effort). */
  async discardKeychainEntry(accountId: string): Promise<void> {
    await this.secrets.delete(accountId).catch(() => false);
  }

  /**
   * The account's secret, or undefined when none is kept. A keychain that should hold one but answers
   * nothing is locked (or was emptied behind our back): that is KEYCHAIN_LOCKED, never "no password".
   */
  async read(account: StoredAccount): Promise<Result<string | undefined>> {
    if (account.credentialMode === 'session') return ok((await this.session.get(account.id)) ?? undefined);
    if (!account.secretStored) return ok(undefined);
    const stored = await this.secrets.get(account.id);
    if (stored !== null) return ok(stored);
    const locked = this.keychain.markLocked();
    return fail({
      code: 'KEYCHAIN_LOCKED',
      message: `The password for ${account.label} could not be read from the system keychain: it is locked, or the saved password was deleted outside Mailroom.`,
      hint: `${locked.problem.action} Or enter the password again in Accounts (Change password), for this session only if need be.`,
    });
  }

  /**
   * Deletes the account's secret everywhere; with `read`, returns what it was (OAuth sign-out revokes
   * it). Throws KeychainError (as `refusal` words it) while the keychain cannot delete the entry, so
   * a caller never believes a secret gone that is still there.
   */
  async take(
    account: StoredAccount,
    options: { read?: boolean; refusal?: (error: KeychainError) => KeychainError } = {},
  ): Promise<string | undefined> {
    let previous = options.read ? ((await this.session.get(account.id)) ?? undefined) : undefined;
    if (account.secretStored) {
      await this.keychain.requireUsable().catch((error: unknown) => {
        throw error instanceof KeychainError && options.refusal ? options.refusal(error) : error;
      });
      if (options.read) previous = (await this.secrets.get(account.id)) ?? previous;
      await this.secrets.delete(account.id);
    }
    await this.session.delete(account.id);
    return previous;
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
}
