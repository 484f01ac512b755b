import { EventEmitter } from 'node:events';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';

// A stand-in for the `electron` module, so the *built* shell (out/main, out/preload) can be loaded
// under plain Node: the Electron binary cannot run on our build machines. It records what the shell
// asks of Electron (windows and their webPreferences, ipcMain channels, session handlers, quit) and
// behaves like Electron where the shell depends on it (whenReady, before-quit being preventable,
// loadFile setting the page's URL). It is not about Electron; it is about our bundles.

export class PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class StandInWebContents extends EventEmitter {
  readonly mainFrame = { url: 'about:blank' };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export interface StandIn {
  /** What `require('electron')` returns to the loaded bundle. */
  readonly electron: Record<string, unknown>;
  readonly app: StandInApp;
  readonly windows: StandInWindow[];
  /** ipcMain.handle channels, in the order they were bound. */
  readonly handlers: Map<string, (event: unknown, payload: unknown) => Promise<unknown>>;
  readonly permissionHandlers: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: (...args: unknown[]) => boolean;
  };
  readonly menus: unknown[];
  readonly notifications: { title: string; body: string }[];
  readonly exposed: Map<string, unknown>;
  readonly rendererInvocations: { channel: string; payload: unknown }[];
  readonly rendererListeners: Map<string, ((event: unknown, payload: unknown) => void)[]>;
}

export class StandInApp extends EventEmitter {
  quitCalls = 0;
  /** Set once a quit was not prevented: Electron would now close its windows and exit. */
  exited = false;
  private readonly ready: Promise<void> = Promise.resolve();
  constructor(
    private readonly userData: string,
    readonly isPackaged: boolean,
  ) {
    super();
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  isReady(): boolean {
    return true;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  getPath(_name: string): string {
    return this.userData;
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  getName(): string {
    return 'Mailroom';
  }
  quit(): void {
    this.quitCalls += 1;
    if (this.exited) return;
    const event = new PreventableEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.exited = true;
    this.emit('will-quit', new PreventableEvent());
    this.emit('quit');
  }
  exit(): void {
    this.exited = true;
  }
}

export class StandInWindow extends EventEmitter {
  readonly webContents = new StandInWebContents();
  loaded: { kind: 'url'; url: string } | { kind: 'file'; path: string; options?: unknown } | undefined;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { kind: 'url', url };
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  loadFile(path: string, options?: unknown): Promise<void> {
    this.loaded = { kind: 'file', path, options };
    this.webContents.mainFrame.url = pathToFileURL(path).href;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  restore(): void {}
  maximize(): void {}
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 980, height: 720 };
  }
}

export function createElectronStandIn(options: { userData: string; isPackaged?: boolean }): StandIn {
  const app = new StandInApp(options.userData, options.isPackaged ?? false);
  const windows: StandInWindow[] = [];
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const permissionHandlers: StandIn['permissionHandlers'] = {};
  const menus: unknown[] = [];
  const notifications: { title: string; body: string }[] = [];
  const exposed = new Map<string, unknown>();
  const rendererInvocations: { channel: string; payload: unknown }[] = [];
  const rendererListeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();

  class BrowserWindow extends StandInWindow {
    constructor(windowOptions: Record<string, unknown>) {
      super(windowOptions);
      windows.push(this);
    }
    static getAllWindows() {
      return [...windows];
    }
    static getFocusedWindow() {
      return windows[0] ?? null;
    }
  }

  class Notification {
    static isSupported() {
      return true;
    }
    constructor(private readonly content: { title: string; body: string }) {}
    show() {
      notifications.push(this.content);
    }
  }

  const electron: Record<string, unknown> = {
    app,
    BrowserWindow,
    Notification,
    ipcMain: {
      handle(channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, handler);
      },
      removeHandler(channel: string) {
        handlers.delete(channel);
      },
      // electron-store answers its own renderer helper here; our renderer never uses it.
      on() {},
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler(handler: StandIn['permissionHandlers']['request']) {
          permissionHandlers.request = handler;
        },
        setPermissionCheckHandler(handler: StandIn['permissionHandlers']['check']) {
          permissionHandlers.check = handler;
        },
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => menus.push(menu),
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
      showMessageBoxSync: () => 1,
      showMessageBox: async () => ({ response: 1 }),
      showErrorBox: () => undefined,
    },
    shell: {
      openExternal: async () => undefined,
      openPath: async () => '',
      showItemInFolder: () => undefined,
    },
    powerMonitor: new EventEmitter(),
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' }),
    // The preload's side.
    contextBridge: {
      exposeInMainWorld(name: string, api: unknown) {
        exposed.set(name, api);
      },
    },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        rendererInvocations.push({ channel, payload });
        return { ok: true, value: {} };
      },
      on(channel: string, listener: (event: unknown, payload: unknown) => void) {
        rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener]);
      },
      removeListener(channel: string, listener: (event: unknown, payload: unknown) => void) {
        rendererListeners.set(
          channel,
          (rendererListeners.get(channel) ?? []).filter((l) => l !== listener),
        );
      },
    },
    webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
  };

  return {
    electron,
    app,
    windows,
    handlers,
    permissionHandlers,
    menus,
    notifications,
    exposed,
    rendererInvocations,
    rendererListeners,
  };
}

type ModuleLoad = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: ModuleLoad; _cache: Record<string, unknown> };

/**
 * Loads a built CommonJS bundle afresh with `require('electron')` answered by the stand-in, and
 * records every module the bundle itself requires. Call the returned `restore` when done.
 */
export function loadBuiltBundle(
  file: string,
  electron: Record<string, unknown>,
): { exports: unknown; required: string[]; restore(): void } {
  const original = moduleWithLoad._load;
  const required: string[] = [];
  moduleWithLoad._load = function (request, parent, isMain) {
    if (parent?.filename === file && request !== file) required.push(request);
    if (request === 'electron') return electron;
    return original.call(this, request, parent, isMain);
  };
  delete moduleWithLoad._cache[file];
  const load = Module.createRequire(file);
  try {
    return { exports: load(file), required, restore: () => (moduleWithLoad._load = original) };
  } catch (error) {
    moduleWithLoad._load = original;
    throw error;
  }
}
