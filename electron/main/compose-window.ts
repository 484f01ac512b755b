import { BrowserWindow, dialog, type WebContents } from 'electron';
import { ok } from '../../shared/result';
import type { Handler } from '../core/ipc/dispatch';
import {
  droppedFilesHandler,
  pickAttachmentsHandler,
  type HostAttachments,
} from '../core/drafts/pick-attachments';
import { createSecureWindow } from './secure-window';

export interface ComposeWindowOptions {
  preloadPath: string;
  rendererIndex: string;
  devServerUrl: string | undefined;
  /** Our windows: a compose window joins it so the IPC binding trusts it, and leaves it when closed. */
  ownWindows: Set<WebContents>;
  /** The core's grants and addDraftAttachments: the dialog's and a drop's files join a draft through them. */
  attachments: HostAttachments;
}

/**
 * Compose's host-specific channels in Electron: one secure window per message showing the renderer's
 * #/compose/<draftId> route, the native open dialog for attachments, and files dropped on a window
 * (their paths resolved by the preload from the dropped File objects).
 */
export function composeWindowHandlers(options: ComposeWindowOptions): {
  openComposeWindow: Handler<'openComposeWindow'>;
  pickAttachments: Handler<'pickAttachments'>;
  attachDroppedFiles: Handler<'attachDroppedFiles'>;
} {
  const open = new Map<string, BrowserWindow>();

  function openComposeWindow(draftId: string): BrowserWindow {
    const existing = open.get(draftId);
    if (existing && !existing.isDestroyed()) {
      existing.focus();
      return existing;
    }
    const window = createSecureWindow(options.preloadPath, { title: 'New message', width: 820, height: 680 });
    const contents = window.webContents;
    options.ownWindows.add(contents);
    open.set(draftId, window);
    window.on('closed', () => {
      options.ownWindows.delete(contents);
      open.delete(draftId);
    });
    // The renderer's beforeunload cancels the close while changes are unsaved; Electron then asks
    // nobody, so main asks the user (the renderer has already started saving the draft).
    contents.on('will-prevent-unload', (event) => {
      const choice = dialog.showMessageBoxSync(window, {
        type: 'question',
        buttons: ['Close', 'Keep editing'],
        defaultId: 1,
        cancelId: 1,
        message: 'Close this message?',
        detail: 'Your latest changes are being saved to Drafts. Close the window anyway?',
      });
      if (choice === 0) event.preventDefault();
    });
    const hash = `/compose/${draftId}`;
    // ?window=compose tells the renderer it is a window of its own (no main navigation, Close button).
    if (options.devServerUrl) void window.loadURL(`${options.devServerUrl}?window=compose#${hash}`);
    else void window.loadFile(options.rendererIndex, { hash, query: { window: 'compose' } });
    return window;
  }

  return {
    async openComposeWindow({ id }) {
      openComposeWindow(id);
      return ok({ opened: true });
    },
    attachDroppedFiles: droppedFilesHandler(options.attachments),
    pickAttachments: pickAttachmentsHandler(options.attachments, async () => {
      const parent = BrowserWindow.getFocusedWindow();
      const dialogOptions: Electron.OpenDialogOptions = {
        title: 'Attach files',
        buttonLabel: 'Attach',
        properties: ['openFile', 'multiSelections'],
      };
      const picked = parent
        ? await dialog.showOpenDialog(parent, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      return picked.canceled ? null : picked.filePaths;
    }),
  };
}
