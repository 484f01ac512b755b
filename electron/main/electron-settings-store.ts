import Store from 'electron-store';
import type { SettingsStore } from '../core/settings/settings-store';

/** The desktop app's settings file (userData/config.json); the CLI reads the same file through conf. */
export function openElectronSettingsStore(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'config', clearInvalidConfig: false });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    path: store.path,
  };
}
