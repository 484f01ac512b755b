import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The profile holds account settings, drafts and every queued and sent message: its owner's only. */
export const PROFILE_DIR_MODE = 0o700;
export const PROFILE_FILE_MODE = 0o600;

/** What Mailroom itself keeps in a profile (Electron's userData also holds Chromium's own files). */
const OWN_ENTRIES = ['config.json', 'recipients.json', 'oauth-clients.json', 'drafts', 'outbox'];

/**
 * Creates the profile directory 0700, or tightens one made before with the umask's 0755 (and the
 * 0644 files Mailroom wrote into it then). The walk over our own files runs only when the directory
 * itself was too open, so a profile tightened once costs one stat per start. New files are created
 * 0600 by their writers (durable-files, the settings store's configFileMode).
 */
export function secureProfileDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PROFILE_DIR_MODE });
  // POSIX modes mean nothing on Windows; the profile lives under the user's own AppData there.
  if (process.platform === 'win32') return;
  if ((lstatSync(dir).mode & 0o777) === PROFILE_DIR_MODE) return;
  // The settings file's backups (config.json.v1-backup, ...) hold the same accounts.
  const backups = readdirSync(dir).filter((name) => name.startsWith('config.json.'));
  for (const name of [...OWN_ENTRIES, ...backups]) tighten(join(dir, name));
  // Last, so an interrupted start walks again next time.
  chmodSync(dir, PROFILE_DIR_MODE);
}

function tighten(path: string): void {
  let info;
  try {
    info = lstatSync(path);
  } catch {
    return;
  }
  // Never follow a link out of the profile: chmod would change the target's mode.
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    for (const name of readdirSync(path)) tighten(join(path, name));
    chmodSync(path, PROFILE_DIR_MODE);
  } else if (info.isFile()) {
    chmodSync(path, PROFILE_FILE_MODE);
  }
}
