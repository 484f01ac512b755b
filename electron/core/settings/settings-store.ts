/**
 * The key-value settings file behind accounts and preferences. electron-store (in the Electron app)
 * and conf (in the CLI and browser host) both satisfy this shape and write the same config.json, so
 * every host sees the same profile.
 */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The file on disk, for error messages and backups. */
  readonly path: string;
}

/** For tests whose subject is not persistence. */
export class InMemorySettingsStore implements SettingsStore {
  readonly path = ':memory:';
  private readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return structuredClone(this.values.get(key));
  }
  set(key: string, value: unknown): void {
    this.values.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.values.delete(key);
  }
}
