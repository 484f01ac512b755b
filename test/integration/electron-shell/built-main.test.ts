import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, wireName } from '../../../shared/ipc/channel-names';
import {
  createElectronStandIn,
  loadBuiltBundle,
  PreventableEvent,
  type StandIn,
  type StandInWindow,
} from '../../harness/electron-stand-in';

// The built shell (out/main/index.js, what `npm start` and the installers run), loaded under plain
// Node with a stand-in for the electron module. Tests of the sources cannot see bundling mistakes:
// an ESM-only dependency left external, a module evaluated before app is ready, a channel lost.

const root = resolve(__dirname, '../../..');
const builtMain = join(root, 'out/main/index.js');
const rendererIndex = join(root, 'out/renderer/index.html');

const booted: { standIn: StandIn; restore(): void }[] = [];

async function until(condition: () => boolean, what: string, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

async function boot(
  options: { isPackaged?: boolean; settings?: Record<string, unknown>; rendererUrl?: string } = {},
) {
  const userData = mkdtempSync(join(tmpdir(), 'mailroom-built-main-'));
  if (options.settings) writeFileSync(join(userData, 'config.json'), JSON.stringify(options.settings));
  const standIn = createElectronStandIn({ userData, isPackaged: options.isPackaged });
  const previous = process.env['ELECTRON_RENDERER_URL'];
  if (options.rendererUrl) process.env['ELECTRON_RENDERER_URL'] = options.rendererUrl;
  else delete process.env['ELECTRON_RENDERER_URL'];
  try {
    const loaded = loadBuiltBundle(builtMain, standIn.electron);
    booted.push({ standIn, restore: loaded.restore });
  } finally {
    if (previous === undefined) delete process.env['ELECTRON_RENDERER_URL'];
    else process.env['ELECTRON_RENDERER_URL'] = previous;
  }
  await until(() => standIn.windows.length > 0, 'the main window');
  return { standIn, userData, window: standIn.windows[0]! };
}

/** A call from the page in `window`, as ipcMain would hand it to the handler. */
function invoke(standIn: StandIn, window: StandInWindow, channel: string, payload: unknown) {
  const handler = standIn.handlers.get(wireName(channel as (typeof INVOKE_CHANNELS)[number]));
  if (!handler) throw new Error(`${channel} is not bound`);
  return handler(
    { sender: window.webContents, senderFrame: window.webContents.mainFrame },
    payload,
  ) as Promise<{
    ok: boolean;
    value?: Record<string, unknown>;
    error?: { code: string };
  }>;
}

async function quitAndWait(standIn: StandIn): Promise<void> {
  standIn.app.quit();
  await until(() => standIn.app.exited, 'the app to exit');
}

beforeAll(() => {
  if (!existsSync(builtMain)) throw new Error(`${builtMain} is missing: run \`npm run build\` first.`);
});

afterEach(async () => {
  for (const { standIn, restore } of booted.splice(0)) {
    if (!standIn.app.exited) await quitAndWait(standIn);
    restore();
  }
});

describe('the built main process', () => {
  it('boots to one secure window showing the packaged renderer, with its handlers installed', async () => {
    const { standIn, window } = await boot();
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs['preload']).toBe(join(root, 'out/preload/index.js'));
    expect(existsSync(prefs['preload'] as string)).toBe(true);
    expect(window.loaded).toEqual({ kind: 'file', path: rendererIndex, options: undefined });
    expect(existsSync(rendererIndex)).toBe(true);

    // No permission (camera, notifications from the page, ...) is ever granted or reported granted.
    const granted: boolean[] = [];
    standIn.permissionHandlers.request!(window.webContents, 'media', (answer) => granted.push(answer));
    expect(granted).toEqual([false]);
    expect(standIn.permissionHandlers.check!(window.webContents, 'notifications')).toBe(false);

    // New windows are denied and navigation away is blocked.
    expect(window.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    const navigation = new PreventableEvent();
    window.webContents.emit('will-navigate', navigation, 'https://evil.example/');
    expect(navigation.defaultPrevented).toBe(true);
    expect(standIn.menus).toHaveLength(1);
  });

  it('binds exactly the channels of the contract, each behind the sender check', async () => {
    const { standIn, window } = await boot();
    expect([...standIn.handlers.keys()].sort()).toEqual(INVOKE_CHANNELS.map(wireName).sort());

    const state = await invoke(standIn, window, 'getAppState', {});
    expect(state).toMatchObject({ ok: true, value: { accounts: [], defaultAccountId: null } });

    const foreign = { sender: { mainFrame: { url: 'https://evil.example/' } }, senderFrame: undefined };
    const refused = await standIn.handlers.get(wireName('getAppState'))!(foreign, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });

    // A payload that breaks the schema is refused by validation, never reaching the core.
    const invalid = await invoke(standIn, window, 'createAccount', { email: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('loads the dev server only when not packaged; a packaged app always loads its own files', async () => {
    const dev = await boot({ rendererUrl: 'http://localhost:5173/' });
    expect(dev.window.loaded).toEqual({ kind: 'url', url: 'http://localhost:5173/' });
    // The dev server's page is one of ours in development...
    expect(await invoke(dev.standIn, dev.window, 'getAppState', {})).toMatchObject({ ok: true });

    const packaged = await boot({ isPackaged: true, rendererUrl: 'http://localhost:5173/' });
    expect(packaged.window.loaded).toEqual({ kind: 'file', path: rendererIndex, options: undefined });
    // ...and never in a packaged app, whatever the environment says.
    packaged.window.webContents.mainFrame.url = 'http://localhost:5173/';
    expect(await invoke(packaged.standIn, packaged.window, 'getAppState', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    packaged.window.webContents.mainFrame.url = pathToFileURL(rendererIndex).href;
    expect(await invoke(packaged.standIn, packaged.window, 'getAppState', {})).toMatchObject({ ok: true });
  });
});

describe('quitting the built app', () => {
  /** A relay that takes the message's DATA but holds its 250 until `release()` (or forever). */
  async function holdingServer() {
    let release: () => void = () => undefined;
    const released = new Promise<void>((done) => (release = done));
    let dataStarted = 0;
    let accepted = 0;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 100,
      onData(stream, _session, callback) {
        dataStarted += 1;
        stream.resume();
        stream.on('end', () => {
          void released.then(() => {
            accepted += 1;
            callback();
          });
        });
      },
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return {
      port: (server.server.address() as AddressInfo).port,
      release,
      dataStarted: () => dataStarted,
      accepted: () => accepted,
      stop: () => new Promise<void>((done) => server.close(() => done())),
    };
  }

  async function queueOneMessage(standIn: StandIn, window: StandInWindow, port: number): Promise<string> {
    const account = await invoke(standIn, window, 'createAccount', {
      email: 'ada@example.test',
      displayName: 'Ada',
      smtp: { host: '127.0.0.1', port, security: 'none', authMethod: 'none' },
    });
    expect(account).toMatchObject({ ok: true });
    const draft = await invoke(standIn, window, 'createDraft', {
      accountId: account.value!['id'],
      to: [{ address: 'bob@example.test' }],
      subject: 'Quit while sending',
      mode: 'plain',
      text: 'Hello',
    });
    expect(draft).toMatchObject({ ok: true });
    const sent = await invoke(standIn, window, 'sendDraft', { draftId: draft.value!['id'] });
    expect(sent).toMatchObject({ ok: true });
    return sent.value!['outboxId'] as string;
  }

  function entryState(userData: string, id: string): string {
    return (JSON.parse(readFileSync(join(userData, 'outbox', `${id}.json`), 'utf8')) as { state: string })
      .state;
  }

  it('waits for the message on the wire to be accepted and recorded before it exits', async () => {
    const server = await holdingServer();
    try {
      const { standIn, window, userData } = await boot({ settings: { outbox: { undoDelayMs: 0 } } });
      const id = await queueOneMessage(standIn, window, server.port);
      await until(() => server.dataStarted() === 1, 'the message to reach the server');

      standIn.app.quit();
      await new Promise((done) => setTimeout(done, 200));
      expect(standIn.app.exited).toBe(false);
      expect(entryState(userData, id)).toBe('sending');

      server.release();
      await until(() => standIn.app.exited, 'the app to exit');
      expect(server.accepted()).toBe(1);
      expect(entryState(userData, id)).toBe('sent');
      // The delivery lock is released, so the next start (or the CLI) can deliver.
      expect(readdirSync(join(userData, 'outbox'))).not.toContain('delivery.lock');
    } finally {
      server.release();
      await server.stop();
    }
  });

  it('gives up waiting after quitGraceMs, and the message stays queued for the next start', async () => {
    const server = await holdingServer();
    try {
      const { standIn, window, userData } = await boot({
        settings: { outbox: { undoDelayMs: 0, quitGraceMs: 300 } },
      });
      const id = await queueOneMessage(standIn, window, server.port);
      await until(() => server.dataStarted() === 1, 'the message to reach the server');
      standIn.app.quit();
      await until(() => standIn.app.exited, 'the app to exit', 5_000);
      expect(server.accepted()).toBe(0);
      expect(entryState(userData, id)).toBe('queued');
    } finally {
      server.release();
      await server.stop();
    }
  });
});
