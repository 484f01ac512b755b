import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, shell, type WebContents } from 'electron';
import { createCore } from '../core/mailroom-core';
import { KeytarSecretStore } from '../core/credentials/keytar-secret-store';
import { fail, ok } from '../../shared/result';
import { isAllowedExternalUrl } from '../../shared/external-url';
import { bindContract } from './ipc-binding';
import { createSecureWindow } from './secure-window';
import { makeOwnUrlCheck } from './trusted-sender';
import { openElectronSettingsStore } from './electron-settings-store';

// The shell stays thin: windows, lifecycle and the IPC binding. All behaviour is in ../core.

const rendererIndex = join(__dirname, '../renderer/index.html');
const preloadPath = join(__dirname, '../preload/index.js');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];

const ownWindows = new Set<WebContents>();

function openMainWindow(): BrowserWindow {
  const window = createSecureWindow(preloadPath, { title: 'Mailroom' });
  const contents = window.webContents;
  ownWindows.add(contents);
  window.on('closed', () => ownWindows.delete(contents));
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [first] = BrowserWindow.getAllWindows();
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });

  void app.whenReady().then(() => {
    const core = createCore({
      profileDir: app.getPath('userData'),
      settings: openElectronSettingsStore(),
      secrets: new KeytarSecretStore(),
    });
    bindContract(
      {
        ...core.handlers,
        async openExternal({ url }) {
          if (!isAllowedExternalUrl(url)) {
            return fail({ code: 'INVALID_REQUEST', message: 'Only https links can be opened.' });
          }
          await shell.openExternal(url);
          return ok({});
        },
      },
      ownWindows,
      makeOwnUrlCheck(pathToFileURL(rendererIndex).href, devServerUrl),
    );
    openMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
