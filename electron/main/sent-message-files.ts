import { copyFile } from 'node:fs/promises';
import { BrowserWindow, dialog, shell } from 'electron';
import { ok } from '../../shared/result';
import type { CoreHandlers } from '../core/mailroom-core';

/**
 * The desktop side of "open" and "save as .eml" for sent messages: the core reports the stored file,
 * main opens it with the system's mail viewer or copies it where the user chooses.
 */
export function sentMessageFileHandlers(
  core: Pick<CoreHandlers, 'openSentMessage' | 'saveSentMessage'>,
): Pick<CoreHandlers, 'openSentMessage' | 'saveSentMessage'> {
  return {
    async openSentMessage(request, context) {
      const file = await core.openSentMessage(request, context);
      if (!file.ok) return file;
      const problem = await shell.openPath(file.value.path);
      if (problem) {
        return {
          ok: false,
          error: {
            code: 'FILE_NOT_FOUND',
            message: `The message could not be opened: ${problem}`,
            hint: 'Use “Save as .eml” and open the file with your mail program.',
          },
        };
      }
      return ok({ ...file.value, handled: true });
    },
    async saveSentMessage(request, context) {
      const file = await core.saveSentMessage(request, context);
      if (!file.ok) return file;
      const owner = BrowserWindow.getFocusedWindow();
      const options = {
        title: 'Save message',
        defaultPath: file.value.fileName,
        filters: [{ name: 'Email message', extensions: ['eml'] }],
      };
      const choice = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return ok({ ...file.value, handled: false });
      try {
        await copyFile(file.value.path, choice.filePath);
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'FILE_NOT_FOUND',
            message: `The message could not be saved to ${choice.filePath}: ${(error as Error).message}`,
            hint: 'Choose another folder, or check that the disk has space and the folder can be written to.',
          },
        };
      }
      return ok({ ...file.value, handled: true, savedTo: choice.filePath });
    },
  };
}
