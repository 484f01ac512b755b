import { homedir } from 'node:os';
import { join } from 'node:path';

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
