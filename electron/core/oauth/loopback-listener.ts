import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the browser tab shows once the provider sent the user back. */
export interface CallbackPage {
  ok: boolean;
  title: string;
  message: string;
}

export interface LoopbackListener {
  /** http://127.0.0.1:<port><path>: the redirect_uri of this one sign-in. */
  redirectUri: string;
  /**
   * Resolves with the first request to the callback path, as a full URL. `respond` decides what the
   * tab shows (after the code was exchanged, so the page tells the truth) and then closes the listener.
   */
  callback: Promise<{ url: URL; respond: (page: CallbackPage) => void }>;
  close(): void;
}

/**
 * RFC 8252 section 7.3: a one-shot HTTP listener on the IPv4 loopback address and an ephemeral port,
 * for exactly one redirect. Only the callback path is answered; other requests (favicon) get 404.
 * Nothing but this machine can reach it, and it closes after the first callback or on close().
 */
export async function openLoopbackListener(path = '/oauth2/callback'): Promise<LoopbackListener> {
  let settle: ((value: { url: URL; respond: (page: CallbackPage) => void }) => void) | undefined;
  const callback = new Promise<{ url: URL; respond: (page: CallbackPage) => void }>((resolve) => {
    settle = resolve;
  });
  let answered = false;
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1`);
    if (req.method !== 'GET' || url.pathname !== path || answered) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    answered = true;
    const full = new URL(`${redirectUri}${url.search}`);
    settle?.({
      url: full,
      respond: (page) => {
        res
          .writeHead(page.ok ? 200 : 400, {
            'Content-Type': 'text/html; charset=utf-8',
            'Cache-Control': 'no-store',
            // The page is static: no scripts, no outside resources, no framing.
            'Content-Security-Policy':
              "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            'Referrer-Policy': 'no-referrer',
            Connection: 'close',
          })
          .end(renderPage(page));
        close();
      },
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}${path}`;

  function close() {
    server.close();
    // Idle keep-alive sockets would hold the port; the response above is written before this runs.
    for (const socket of sockets) socket.end();
  }

  return { redirectUri, callback, close };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function renderPage(page: CallbackPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)} – Mailroom</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1b1b1f}
h1{font-size:1.4rem}</style></head>
<body><main><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p></main></body></html>`;
}
