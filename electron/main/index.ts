import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  Menu,
  Notification,
  powerMonitor,
  session,
  shell,
  type WebContents,
} from 'electron';
import { createCore } from '../core/mailroom-core';
import { KeytarSecretStore } from '../core/credentials/keytar-secret-store';
import { fail, ok } from '../../shared/result';
import { isAllowedExternalUrl } from '../../shared/external-url';
import { wireName } from '../../shared/ipc/channel-names';
import type { SendStatus } from '../../shared/ipc/contract';
import { bindContract } from './ipc-binding';
import { createSecureWindow } from './secure-window';
import { makeOwnUrlCheck } from './trusted-sender';
import { openElectronSettingsStore } from './electron-settings-store';
import { buildApplicationMenu } from './application-menu';
import { rememberWindowState } from './window-state';
import { composeWindowHandlers } from './compose-window';
import type { SettingsStore } from '../core/settings/settings-store';
import { sentMessageFileHandlers } from './sent-message-files';
import { withSystemBrowser } from '../core/oauth/oauth-handlers';

// The shell stays thin: windows, lifecycle, menus, notifications and the IPC binding.
// All behaviour is in ../core, which runs and is tested under plain Node.

const rendererIndex = join(__dirname, '../renderer/index.html');
const preloadPath = join(__dirname, '../preload/index.js');
// The dev server only in development: a packaged app loads its own files whatever the environment
// says (an ELECTRON_RENDERER_URL set by anyone would otherwise decide what the window shows and trusts).
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];

const ownWindows = new Set<WebContents>();
let mainWindow: BrowserWindow | undefined;

function openMainWindow(settings: SettingsStore): BrowserWindow {
  const state = rememberWindowState(settings, 'window.main');
  const window = createSecureWindow(preloadPath, { title: 'Mailroom', ...state.initial });
  state.track(window);
  const contents = window.webContents;
  ownWindows.add(contents);
  window.on('closed', () => {
    ownWindows.delete(contents);
    if (mainWindow === window) mainWindow = undefined;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  mainWindow = window;
  return window;
}

/** A finished send gets a system notification when the user is looking elsewhere. */
// Every subscribed window receives the same status: notify once per message and outcome.
const notified = new Set<string>();

function notifySendStatus(status: SendStatus): void {
  if (!Notification.isSupported()) return;
  if (status.state !== 'sent' && status.state !== 'failed') return;
  const key = `${status.outboxId ?? status.requestId}:${status.state}`;
  if (notified.has(key)) return;
  notified.add(key);
  if (BrowserWindow.getFocusedWindow()) return;
  if (status.state === 'sent') {
    new Notification({ title: 'Message sent', body: status.detail ?? '' }).show();
  } else {
    new Notification({
      title: 'Message not sent',
      body: status.detail ?? 'Open Mailroom to see why.',
    }).show();
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = mainWindow ?? BrowserWindow.getAllWindows()[0];
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    // Mailroom's pages need no camera, microphone, notifications-from-page or other permissions.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

    const settings = openElectronSettingsStore();
    const core = createCore({
      profileDir: app.getPath('userData'),
      settings,
      secrets: new KeytarSecretStore(),
    });
    const { outbox } = core.services.outbox;
    // Sends stuck after sleep or a network change are a known failure of other clients: retry promptly.
    powerMonitor.on('resume', () => void outbox.kick());
    powerMonitor.on('unlock-screen', () => void outbox.kick());
    // Quitting waits (bounded by the outbox's quitGraceMs) for a message on the wire to get the
    // server's reply recorded: cut off mid-transfer, it would be sent again at the next start.
    let outboxClosed = false;
    app.on('before-quit', (event) => {
      if (outboxClosed) return;
      event.preventDefault();
      void outbox
        .close()
        .catch((error: unknown) => console.error(`outbox: close failed: ${String(error)}`))
        .finally(() => {
          outboxClosed = true;
          app.quit();
        });
    });
    bindContract(
      {
        ...core.handlers,
        ...sentMessageFileHandlers(core.handlers),
        // OAuth sign-in happens in the user's own browser, never in an app window.
        ...withSystemBrowser(core.handlers, (url) => shell.openExternal(url)),
        ...composeWindowHandlers({
          preloadPath,
          rendererIndex,
          devServerUrl,
          ownWindows,
          attachments: {
            addDraftAttachments: core.handlers.addDraftAttachments,
            attachmentGrants: core.services.attachmentGrants,
          },
        }),
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
      (event) => {
        if (event.name === 'sendStatus') notifySendStatus(event.payload);
      },
    );
    Menu.setApplicationMenu(
      buildApplicationMenu(
        () => BrowserWindow.getFocusedWindow() ?? mainWindow,
        (window, command) => window.webContents.send(wireName('menuCommand'), { command }),
      ),
    );
    openMainWindow(settings);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow(settings);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
