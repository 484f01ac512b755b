import { join } from 'node:path';
import Conf from 'conf';
import type { SettingsStore } from './settings-store';
import { openCheckedSettingsStore } from './checked-settings-store';

export const SETTINGS_FILE_NAME = 'config.json';

/**
 * The profile's settings file under plain Node: conf writes the same config.json as electron-store.
 * Opening never throws: a corrupt file is reported by the first read (see checked-settings-store).
 */
export function openConfSettingsStore(profileDir: string): SettingsStore {
  return openCheckedSettingsStore(join(profileDir, SETTINGS_FILE_NAME), () => {
    const conf = new Conf<Record<string, unknown>>({
      projectName: 'mailroom',
      cwd: profileDir,
      configName: 'config',
      // Never wipe a file we cannot parse: that would silently lose accounts.
      clearInvalidConfig: false,
    });
    return {
      get: (key) => conf.get(key),
      set: (key, value) => conf.set(key, value),
      delete: (key) => conf.delete(key),
      path: conf.path,
    };
  });
}
