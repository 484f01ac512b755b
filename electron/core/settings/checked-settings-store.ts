import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { MailroomError } from '../../../shared/result';
import { SettingsUnreadableError, type SettingsStore } from './settings-store';
import { fileVersion } from './settings-file-version';
import {
  CURRENT_SCHEMA_VERSION,
  SCHEMA_VERSION_KEY,
  checkVersion,
  migrateSettingsData,
} from './settings-migrations';

/**
 * Wraps the library store (conf or electron-store) so that a settings file we cannot use is reported,
 * backed up and left alone, never reset:
 *
 * - conf/electron-store with `clearInvalidConfig: false` throw a SyntaxError from their constructor on
 *   invalid JSON (and from every later read, since conf re-reads the file each time). The library store
 *   is therefore opened lazily, on first use, after we have checked the file ourselves; a host can start,
 *   show the error, and pick the file up again once the user has fixed it, without a restart.
 * - JSON that parses but is not an object (`null`, `[]`) would be turned into `{}` by conf and then
 *   overwritten on the next save, so it counts as corrupt too.
 * - An older schema version is migrated (after a backup of the old file); a newer one is refused
 *   rather than half-understood.
 */
export function openCheckedSettingsStore(filePath: string, open: () => SettingsStore): SettingsStore {
  let inner: SettingsStore | undefined;
  /** Whether the file carries a schemaVersion yet (a new profile gets one with its first write). */
  let stamped = false;

  const ensureOpen = (): SettingsStore => {
    if (inner) return inner;
    const text = readIfExists(filePath);
    let data: Record<string, unknown> = {};
    if (text !== undefined) {
      data = parseSettings(filePath, text);
      const version = checkVersion(data);
      if (version.kind === 'invalid') throw corruptSettings(filePath, version.reason);
      if (version.kind === 'newer') throw tooNew(filePath, version.version);
      const store = openLibraryStore(filePath, open);
      if (version.kind === 'older') {
        keepCopy(filePath, `v${version.version}-backup`);
        writeMigrated(store, data, migrateSettingsData(data, version.version));
      }
      stamped = true;
      inner = store;
      return store;
    }
    inner = openLibraryStore(filePath, open);
    stamped = false;
    return inner;
  };

  /** A read or write can still meet a file broken while we run: report it like one broken at start. */
  const guarded = <T>(action: (store: SettingsStore) => T): T => {
    const store = ensureOpen();
    try {
      return action(store);
    } catch (error) {
      if (error instanceof SyntaxError) {
        inner = undefined;
        throw corruptSettings(filePath, error.message);
      }
      throw error;
    }
  };

  // conf and electron-store read and parse the whole file on every get (so other processes' writes
  // are seen). Values read are kept until the file changes (a stat per get), so every caller (accounts,
  // outbox, drafts) gets that for free instead of each keeping a cache of its own.
  let snapshot: { version: string; values: Map<string, unknown> } | undefined;

  return {
    path: filePath,
    get: (key) =>
      guarded((store) => {
        const version = fileVersion(filePath);
        if (version === undefined || snapshot?.version !== version) {
          snapshot = version === undefined ? undefined : { version, values: new Map() };
        } else if (snapshot.values.has(key)) {
          return structuredClone(snapshot.values.get(key));
        }
        const value = store.get(key);
        snapshot?.values.set(key, structuredClone(value));
        return value;
      }),
    set: (key, value) =>
      guarded((store) => {
        snapshot = undefined;
        store.set(key, value);
        if (!stamped) {
          store.set(SCHEMA_VERSION_KEY, CURRENT_SCHEMA_VERSION);
          stamped = true;
        }
      }),
    delete: (key) =>
      guarded((store) => {
        snapshot = undefined;
        store.delete(key);
      }),
  };
}

function readIfExists(filePath: string): string | undefined {
  try {
    return readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseSettings(filePath: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corruptSettings(filePath, `it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw corruptSettings(filePath, 'it does not hold a settings object');
  }
  return parsed as Record<string, unknown>;
}

function openLibraryStore(filePath: string, open: () => SettingsStore): SettingsStore {
  try {
    return open();
  } catch (error) {
    // The file changed between our check and the library's read, or the library disagrees with us.
    if (error instanceof SyntaxError) throw corruptSettings(filePath, error.message);
    throw error;
  }
}

function writeMigrated(
  store: SettingsStore,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(after)) {
    if (!isDeepStrictEqual(before[key], value)) store.set(key, value);
  }
  for (const key of Object.keys(before)) {
    if (!(key in after)) store.delete(key);
  }
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/**
 * Copies the file next to itself as `<name>.<label>-<timestamp>`, unless an identical copy with that
 * label already exists (a host that restarts on the same broken file keeps one backup, not one a start).
 * Returns the copy's path, or undefined for an in-memory store.
 */
export function keepCopy(filePath: string, label: string): string | undefined {
  if (filePath === ':memory:') return undefined;
  const bytes = readFileSyncOrEmpty(filePath);
  if (bytes === undefined) return undefined;
  const dir = dirname(filePath);
  const prefix = `${basename(filePath)}.${label}-`;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(prefix) && readFileSyncOrEmpty(join(dir, entry))?.equals(bytes)) {
      return join(dir, entry);
    }
  }
  const copy = join(dir, `${prefix}${stamp()}`);
  copyFileSync(filePath, copy);
  return copy;
}

function readFileSyncOrEmpty(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The SETTINGS_CORRUPT error, after keeping a copy of the file. Used here and by the services that
 * find content they cannot read (e.g. an account hand-edited into an invalid shape).
 */
export function corruptSettings(filePath: string, reason: string): SettingsUnreadableError {
  let backup: string | undefined;
  try {
    backup = keepCopy(filePath, 'corrupt');
  } catch {
    backup = undefined; // Reporting the problem matters more than the copy; the file itself is untouched.
  }
  const error: MailroomError = {
    code: 'SETTINGS_CORRUPT',
    message:
      `Mailroom cannot read its settings file ${filePath}: ${reason}. ` +
      'Nothing was reset or overwritten' +
      (backup ? `; a copy of the file was kept at ${backup}.` : '.'),
    hint:
      'Fix the file in a text editor (or put back an earlier copy), then reopen Mailroom. To start over ' +
      'instead, move the file somewhere else; you would then add your accounts again.',
    details: { file: filePath, ...(backup ? { backup } : {}) },
  };
  return new SettingsUnreadableError(error);
}

function tooNew(filePath: string, version: number): SettingsUnreadableError {
  return new SettingsUnreadableError({
    code: 'SETTINGS_TOO_NEW',
    message:
      `The settings file ${filePath} was written by a newer version of Mailroom (settings version ` +
      `${version}; this version understands up to ${CURRENT_SCHEMA_VERSION}). It was left unchanged.`,
    hint: 'Install the newer Mailroom again, or start this version with another profile.',
    details: { file: filePath },
  });
}
