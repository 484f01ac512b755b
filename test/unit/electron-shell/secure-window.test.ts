import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronFake, FakeBrowserWindow, openedExternally } from './electron-fakes';

vi.mock('electron', () => electronFake);

const { createSecureWindow } = await import('../../../electron/main/secure-window');

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
  openedExternally.length = 0;
});

describe('every Mailroom window', () => {
  it('is sandboxed and isolated, with no Node in the page', () => {
    createSecureWindow('/app/preload.js', { webPreferences: { sandbox: false, nodeIntegration: true } });
    const prefs = FakeBrowserWindow.created[0]!.options['webPreferences'] as Record<string, unknown>;
    // Callers cannot weaken webPreferences: the factory's values win.
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('never opens new windows; https links go to the system browser, other schemes nowhere', () => {
    const window = createSecureWindow('/app/preload.js') as unknown as FakeBrowserWindow;
    const handler = window.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://support.google.com/accounts/answer/185833' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://insecure.example' })).toEqual({ action: 'deny' });
    expect(openedExternally).toEqual(['https://support.google.com/accounts/answer/185833']);
  });

  it('blocks navigation away from the app', () => {
    const window = createSecureWindow('/app/preload.js') as unknown as FakeBrowserWindow;
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    window.webContents.emit('will-navigate', event, 'https://evil.example/');
    expect(event.defaultPrevented).toBe(true);
  });
});
