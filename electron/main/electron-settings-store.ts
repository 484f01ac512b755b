import { join } from 'node:path';
import { app } from 'electron';
import Store from 'electron-store';
import type { SettingsStore } from '../core/settings/settings-store';
import { openCheckedSettingsStore } from '../core/settings/checked-settings-store';
import { PROFILE_FILE_MODE, secureProfileDirectory } from '../core/profile-permissions';

/**
 * The desktop app's settings file (userData/config.json); the CLI reads the same file through conf.
 * electron-store throws from its constructor on invalid JSON, so it is opened lazily behind the
 * checked store: a corrupt file becomes a SETTINGS_CORRUPT error in the window, not a crash at start.
 */
export function openElectronSettingsStore(): SettingsStore {
  return openCheckedSettingsStore(join(app.getPath('userData'), 'config.json'), () => {
    secureProfileDirectory(app.getPath('userData'));
    // Accounts and server settings are the user's alone (conf's default is 0666 minus the umask).
    const store = new Store<Record<string, unknown>>({
      name: 'config',
      clearInvalidConfig: false,
      configFileMode: PROFILE_FILE_MODE,
    });
    return {
      get: (key) => store.get(key),
      set: (key, value) => store.set(key, value),
      delete: (key) => store.delete(key),
      path: store.path,
    };
  });
}
