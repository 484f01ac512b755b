import type * as KeytarModule from 'keytar';
import type { SecretStore } from './secret-store';
import { KeychainError, describeKeychainFailure } from './keychain-errors';

/** One service name for every Mailroom entry; the keychain "account" is our account id. */
export const KEYCHAIN_SERVICE = 'Mailroom SMTP';

type Keytar = typeof KeytarModule;

/**
 * The OS keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service on Linux).
 * keytar is loaded lazily so hosts that never touch secrets do not need the native module.
 * Every failure is a KeychainError that says what is missing and how to fix it.
 *
 * Beware: a locked Secret Service collection answers get with null and delete with false, no error.
 * Callers that need to know must probe (see KeychainMonitor) rather than trust those answers.
 */
export class KeytarSecretStore implements SecretStore {
  private keytar: Keytar | undefined;
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  private async call<T>(action: (keytar: Keytar) => Promise<T>): Promise<T> {
    try {
      if (!this.keytar) {
        const loaded = (await import('keytar')) as Keytar & { default?: Keytar };
        this.keytar = loaded.default ?? loaded;
      }
      return await action(this.keytar);
    } catch (error) {
      throw new KeychainError(describeKeychainFailure(error));
    }
  }
  get(accountId: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, accountId));
  }
  set(accountId: string, secret: string): Promise<void> {
    return this.call((k) => k.setPassword(this.service, accountId, secret));
  }
  delete(accountId: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, accountId));
  }
}
