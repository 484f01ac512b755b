import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { dispatch, type Handlers } from '../core/ipc/dispatch';
import { wireName } from '../../shared/ipc/channel-names';

/** The URL path of the bridge script the host adds to the renderer's page, and of its socket. */
export const BRIDGE_SCRIPT_PATH = '/__mailroom/bridge.js';
export const SOCKET_PATH = '/__mailroom/ws';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const RequestFrameSchema = z.object({ id: z.number().int(), channel: z.string(), payload: z.unknown() });

/**
 * The largest frame the socket takes. It must stay above the largest request the contract allows, or
 * a valid call would be cut off: saveDraft's bodies (2 x 5,000,000 characters, each up to 6 bytes
 * once JSON-escaped) plus 1,500 recipients come to about 72 MB; sendMessage's bodies (2 x 6,000,000)
 * to the same. Anything larger closes that one connection (1009), never the host.
 */
export const MAX_FRAME_BYTES = 96 * 1024 * 1024;

export interface BrowserHostOptions {
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built bridge script (out/browser-host/bridge.js). */
  bridgeFile: string;
  port?: number;
  log?: (message: string) => void;
}

export interface BrowserHost {
  /** Open this in a browser: it carries the per-run token. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Serves the unchanged renderer on 127.0.0.1 and carries the IPC contract over a WebSocket, so the
 * real UI runs in a normal browser against the real core (end-to-end tests, UI work without Electron).
 * The socket takes only our own origin and the per-run token, so other pages and local processes
 * that do not know the token cannot drive the core.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(24).toString('base64url');
  const rendererRoot = resolve(options.rendererDir);
  const log = options.log ?? ((m: string) => console.error(m));
  let origin = '';

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    if (url.pathname === BRIDGE_SCRIPT_PATH) {
      const body = await readFile(options.bridgeFile);
      response.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES['.js']! }).end(body);
      return;
    }
    const relative =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererRoot, relative));
    if (!file.startsWith(rendererRoot + sep)) {
      response.writeHead(403, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // Client-side routes (e.g. /compose) get the app; anything else with a dot is a missing file.
      if (extname(relative)) {
        response.writeHead(404, headers).end();
        return;
      }
      body = await readFile(join(rendererRoot, 'index.html'));
    }
    const type =
      CONTENT_TYPES[extname(file)] ??
      (extname(relative) ? 'application/octet-stream' : CONTENT_TYPES['.html']!);
    if (type.startsWith('text/html')) {
      // The bridge must define window.mailroom before the app's module script runs: a classic script
      // at the end of the head does (module scripts wait for the parse). Not at the start: Chromium
      // fetches nothing ahead of a parser-blocking script that precedes the CSP meta tag, so the app's
      // bundle would wait for the bridge instead of loading beside it.
      const html = body
        .toString('utf8')
        .replace('</head>', `  <script src="${BRIDGE_SCRIPT_PATH}"></script>\n  </head>`);
      response.writeHead(200, { ...headers, 'Content-Type': type }).end(html);
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
  }

  const server = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      log(`browser host: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  // Whatever a client sends, at worst its own connection ends: a socket without an 'error' listener
  // (a reset, a malformed request line, a bad frame) would take the whole process down.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(request.url ?? '/', origin);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const allowed =
      url.pathname === SOCKET_PATH &&
      request.headers.origin === origin &&
      sameToken(url.searchParams.get('token'), token);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveConnection(ws));
  });

  function serveConnection(ws: WebSocket): void {
    // ws reports a protocol violation (oversized, unmasked or reserved-opcode frame, invalid UTF-8)
    // as an 'error' on this socket and closes it with the matching code; only this client is affected.
    ws.on('error', (error) => log(`browser host: closed a connection: ${error.message}`));
    ws.on('message', (data) => {
      let frame: z.infer<typeof RequestFrameSchema>;
      try {
        frame = RequestFrameSchema.parse(JSON.parse(data.toString()));
      } catch {
        ws.close(1003, 'Malformed request');
        return;
      }
      void dispatch(options.handlers, frame.channel, frame.payload, {
        emit: (event, payload) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: wireName(event), payload }));
        },
      })
        .then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: frame.id, result }));
        })
        .catch((error: unknown) => log(`browser host: ${frame.channel} failed: ${String(error)}`));
    });
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
