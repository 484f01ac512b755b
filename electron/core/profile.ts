import { createCore, type CoreOptions } from './mailroom-core';
import { KeytarSecretStore } from './credentials/keytar-secret-store';
import type { SecretStore } from './credentials/secret-store';
import { openConfSettingsStore } from './settings/conf-settings-store';

export { defaultProfileDir } from './profile-dir';

/** The core over a profile directory under plain Node (CLI, browser host): conf + the OS keychain. */
export function openProfileCore(
  profileDir: string,
  secrets: SecretStore = new KeytarSecretStore(),
  extra: Pick<CoreOptions, 'discovery' | 'deliverOutbox'> = {},
) {
  return createCore({ profileDir, settings: openConfSettingsStore(profileDir), secrets, ...extra });
}
