// Runs in the browser page before the renderer: implements window.mailroom over the browser host's
// WebSocket, with the same shape the Electron preload exposes, so the renderer cannot tell the hosts apart.
import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, wireName } from '../../shared/ipc/channel-names';

const TOKEN_KEY = 'mailroom.browserHostToken';

function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar, history and screenshots.
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = takeToken();
const socketUrl = `ws://${window.location.host}/__mailroom/ws?token=${encodeURIComponent(token)}`;

type Pending = { resolve: (value: unknown) => void };
const pending = new Map<number, Pending>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let nextId = 1;
let socket: WebSocket | undefined;
let opened: Promise<WebSocket> | undefined;

const disconnected = (channel: string) => ({
  ok: false,
  error: {
    code: 'INTERNAL',
    message: `Lost the connection to Mailroom while calling ${channel}.`,
    hint: 'Restart the browser host and reload this page.',
  },
});

function connect(): Promise<WebSocket> {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl);
    ws.addEventListener('open', () => {
      socket = ws;
      resolve(ws);
    });
    ws.addEventListener('message', (message) => {
      const frame = JSON.parse(String(message.data)) as {
        id?: number;
        result?: unknown;
        event?: string;
        payload?: unknown;
      };
      if (typeof frame.id === 'number') {
        pending.get(frame.id)?.resolve(frame.result);
        pending.delete(frame.id);
      } else if (frame.event) {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      }
    });
    ws.addEventListener('close', () => {
      opened = undefined;
      socket = undefined;
      for (const [id, call] of pending) {
        call.resolve(disconnected(String(id)));
      }
      pending.clear();
      reject(new Error('closed'));
    });
  });
  opened.catch(() => undefined);
  return opened;
}

async function invoke(channel: string, request: unknown): Promise<unknown> {
  let ws: WebSocket;
  try {
    ws = socket ?? (await connect());
  } catch {
    return disconnected(channel);
  }
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    ws.send(JSON.stringify({ id, channel, payload: request }));
  });
}

const api: Record<string, unknown> = {};
for (const channel of INVOKE_CHANNELS) {
  api[channel] = (request: unknown) => invoke(channel, request);
}
// A browser cannot tell anyone a dropped file's path, so a drop carries only its draft: the host
// answers with its picker. (The host ignores paths on this channel whatever a page sends.)
api['attachDroppedFiles'] = (request: { draftId?: unknown }) =>
  invoke('attachDroppedFiles', { draftId: request?.draftId, paths: [] });
for (const event of EVENT_CHANNELS) {
  const name = wireName(event);
  api[listenerName(event)] = (listener: (payload: unknown) => void) => {
    const set = listeners.get(name) ?? new Set();
    set.add(listener);
    listeners.set(name, set);
    return () => {
      set.delete(listener);
    };
  };
}
Object.defineProperty(window, 'mailroom', { value: Object.freeze(api), writable: false });
void connect();
