import type { MailroomError } from '../../../shared/result';

/**
 * The key-value settings file behind accounts and preferences. electron-store (in the Electron app)
 * and conf (in the CLI and browser host) both satisfy this shape and write the same config.json, so
 * every host sees the same profile.
 *
 * get/set/delete throw SettingsUnreadableError when the file cannot be used (corrupt, hand-edited
 * into an unknown shape, or written by a newer Mailroom); callers turn it into a Result.
 */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The file on disk, for error messages and backups. */
  readonly path: string;
}

/** The settings file cannot be used as it is. Carries the error the user sees (file, backup, what to do). */
export class SettingsUnreadableError extends Error {
  constructor(readonly error: MailroomError) {
    super(error.message);
    this.name = 'SettingsUnreadableError';
  }
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
