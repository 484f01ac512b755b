/**
 * Where account secrets live. The only production implementation is the OS keychain; nothing
 * else in the app may hold a password beyond the moment it is used.
 */
export interface SecretStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(accountId: string): Promise<boolean>;
}

/** Session-only or test store: secrets live in this process's memory and die with it. */
export class InMemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  async get(accountId: string): Promise<string | null> {
    return this.secrets.get(accountId) ?? null;
  }
  async set(accountId: string, secret: string): Promise<void> {
    this.secrets.set(accountId, secret);
  }
  async delete(accountId: string): Promise<boolean> {
    return this.secrets.delete(accountId);
  }
  has(accountId: string): boolean {
    return this.secrets.has(accountId);
  }
}
