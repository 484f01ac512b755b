import { EventEmitter } from 'node:events';

// Stand-ins for the few Electron objects the shell's own logic touches. The Electron binary cannot run
// on our build machines; these tests are about our window and IPC decisions, not about Electron.

export class FakeWebContents extends EventEmitter {
  mainFrame = { url: '' };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  show() {}
}

export const ipcHandlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
export const openedExternally: string[] = [];

export const electronFake = {
  BrowserWindow: FakeBrowserWindow,
  shell: {
    openExternal: async (url: string) => {
      openedExternally.push(url);
    },
  },
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
      ipcHandlers.set(channel, handler);
    },
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
};
