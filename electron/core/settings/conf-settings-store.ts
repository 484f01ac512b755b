import Conf from 'conf';
import type { SettingsStore } from './settings-store';

/** The profile's settings file under plain Node: conf writes the same config.json as electron-store. */
export function openConfSettingsStore(profileDir: string): SettingsStore {
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
}
