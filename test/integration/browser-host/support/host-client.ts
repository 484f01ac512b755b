import WebSocket from 'ws';

/** The browser host as its page sees it: the origin and per-run token from the URL it prints. */
export interface HostAddress {
  origin: string;
  token: string;
  port: number;
}

export function hostAddress(url: string): HostAddress {
  const parsed = new URL(url);
  return { origin: parsed.origin, token: parsed.searchParams.get('token') ?? '', port: Number(parsed.port) };
}

/** A WebSocket client with our origin and token: what the bridge script opens. */
export function connect(host: HostAddress): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/__mailroom/ws?token=${host.token}`, {
    origin: host.origin,
    maxPayload: 256 * 1024 * 1024,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let nextId = 1;

/** One contract call over the socket; resolves with the Result, rejects if the socket closes first. */
export function call(ws: WebSocket, channel: string, payload: unknown): Promise<Record<string, unknown>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown> };
      if (frame.id !== id) return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(frame.result!);
    };
    const onClose = (code: number) => reject(new Error(`socket closed (${code}) before ${channel} answered`));
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ id, channel, payload }));
  });
}
