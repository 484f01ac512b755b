import { join } from 'node:path';
import Conf from 'conf';
import type { SettingsStore } from './settings-store';
import { PROFILE_FILE_MODE, secureProfileDirectory } from '../profile-permissions';
import { openCheckedSettingsStore } from './checked-settings-store';

export const SETTINGS_FILE_NAME = 'config.json';

/**
 * The profile's settings file under plain Node: conf writes the same config.json as electron-store.
 * Opening never throws: a corrupt file is reported by the first read (see checked-settings-store).
 */
export function openConfSettingsStore(profileDir: string): SettingsStore {
  return openCheckedSettingsStore(join(profileDir, SETTINGS_FILE_NAME), () => {
    // conf would create a missing profile with the umask's 0755.
    secureProfileDirectory(profileDir);
    const conf = new Conf<Record<string, unknown>>({
      projectName: 'mailroom',
      cwd: profileDir,
      configName: 'config',
      // Never wipe a file we cannot parse: that would silently lose accounts.
      clearInvalidConfig: false,
      // Accounts and server settings are the user's alone (conf's default is 0666 minus the umask).
      configFileMode: PROFILE_FILE_MODE,
    });
    return {
      get: (key) => conf.get(key),
      set: (key, value) => conf.set(key, value),
      delete: (key) => conf.delete(key),
      path: conf.path,
    };
  });
}
