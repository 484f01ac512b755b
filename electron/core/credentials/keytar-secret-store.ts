import type { SecretStore } from './secret-store';

/** One service name for every Mailroom entry; the keychain "account" is our account id. */
export const KEYCHAIN_SERVICE = 'Mailroom SMTP';

import type * as KeytarModule from 'keytar';

type Keytar = typeof KeytarModule;

/**
 * The OS keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service on Linux).
 * keytar is loaded lazily so hosts that never touch secrets do not need the native module.
 */
export class KeytarSecretStore implements SecretStore {
  private keytar: Keytar | undefined;
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  private async load(): Promise<Keytar> {
    if (!this.keytar) {
      const loaded = (await import('keytar')) as Keytar & { default?: Keytar };
      this.keytar = loaded.default ?? loaded;
    }
    return this.keytar;
  }
  async get(accountId: string): Promise<string | null> {
    return (await this.load()).getPassword(this.service, accountId);
  }
  async set(accountId: string, secret: string): Promise<void> {
    await (await this.load()).setPassword(this.service, accountId, secret);
  }
  async delete(accountId: string): Promise<boolean> {
    return (await this.load()).deletePassword(this.service, accountId);
  }
}
