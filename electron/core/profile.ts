import { homedir } from 'node:os';
import { join } from 'node:path';
import { createCore, type CoreOptions } from './mailroom-core';
import { KeytarSecretStore } from './credentials/keytar-secret-store';
import type { SecretStore } from './credentials/secret-store';
import { openConfSettingsStore } from './settings/conf-settings-store';

/**
 * The desktop app's data directory (Electron's userData for productName "Mailroom"), so the CLI and
 * browser host default to the same settings the app uses.
 */
export function defaultProfileDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['MAILROOM_PROFILE']) return env['MAILROOM_PROFILE'];
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Mailroom');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Mailroom');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Mailroom');
}

/** The core over a profile directory under plain Node (CLI, browser host): conf + the OS keychain. */
export function openProfileCore(
  profileDir: string,
  secrets: SecretStore = new KeytarSecretStore(),
  extra: Pick<CoreOptions, 'discovery' | 'deliverOutbox'> = {},
) {
  return createCore({ profileDir, settings: openConfSettingsStore(profileDir), secrets, ...extra });
}
