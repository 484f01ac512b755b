import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The browser host's stand-in for the native file picker. A web page cannot hand the core a file path
 * (a browser only gives the page the file's bytes, which must never cross our IPC), so the host picks
 * for it: every regular file in the directory given with `--attach-picker-dir DIR` (or the environment
 * variable MAILROOM_ATTACH_PICKER_DIR), in name order. Without one, the picker reports "cancelled".
 * This exists for end-to-end tests and UI work; the desktop app uses the system's open dialog.
 */
export function makeDirectoryPicker(dir: string | undefined): () => Promise<string[] | null> {
  return async () => {
    if (!dir) return null;
    const root = resolve(dir);
    const entries = await readdir(root, { withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => join(root, e.name))
      .sort();
    return files.length ? files : null;
  };
}
