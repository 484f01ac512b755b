import { BrowserWindow, shell, type BrowserWindowConstructorOptions } from 'electron';
import { isAllowedExternalUrl } from '../../shared/external-url';

/**
 * Every Mailroom window is made here so the security settings cannot drift between windows:
 * sandboxed renderer, context isolation, no Node, no new windows, no navigation away.
 */
export function createSecureWindow(
  preloadPath: string,
  options: BrowserWindowConstructorOptions = {},
): BrowserWindow {
  const window = new BrowserWindow({
    width: 980,
    height: 720,
    minWidth: 640,
    minHeight: 480,
    show: false,
    ...options,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
      // Middle-click must not open links in new windows behind setWindowOpenHandler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    // Links the user clicks open in their browser, only https, never inside the app.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  return window;
}
