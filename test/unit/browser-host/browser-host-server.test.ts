import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  startBrowserHost,
  SOCKET_PATH,
  type BrowserHost,
} from '../../../electron/browser-host/browser-host-server';
import { createCore } from '../../../electron/core/mailroom-core';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import { ok } from '../../../shared/result';

let host: BrowserHost;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-host-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(
    join(dir, 'renderer', 'index.html'),
    // Like the built renderer: the CSP meta tag, then the app's module script.
    '<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'" />' +
      '<script type="module" src="./assets/index.js"></script></head><body></body></html>',
  );
  writeFileSync(join(dir, 'bridge.js'), '/* bridge */');
  const core = createCore({
    profileDir: dir,
    settings: new InMemorySettingsStore(),
    secrets: new InMemorySecretStore(),
  });
  host = await startBrowserHost({
    handlers: {
      ...core.handlers,
      openExternal: async () => ok({}),
      openComposeWindow: async () => ok({ opened: false }),
      pickAttachments: async () => ok({ cancelled: true, attachments: [] }),
      attachDroppedFiles: async () => ok({ cancelled: true, attachments: [] }),
    },
    rendererDir: join(dir, 'renderer'),
    bridgeFile: join(dir, 'bridge.js'),
    log: () => undefined,
  });
});
afterAll(() => host.close());

function connect(token: string, origin: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://${new URL(host.origin).host}${SOCKET_PATH}?token=${token}`, { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, channel: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (frame.id === id) resolve(frame.result);
    });
    ws.send(JSON.stringify({ id, channel, payload }));
  });
}

describe('browser host', () => {
  it('listens on loopback only', () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
  });

  it('serves the renderer with the bridge script ahead of the app, not ahead of the CSP', async () => {
    const html = await (await fetch(host.origin + '/')).text();
    // A classic script in the head runs before any module script (those wait for the parse); placed
    // before the CSP meta tag it would hold back Chromium's fetching of the app's bundle.
    expect(html).toMatch(/<script src="\/__mailroom\/bridge.js"><\/script>\s*<\/head>/);
    expect(html.indexOf('/__mailroom/bridge.js')).toBeGreaterThan(html.indexOf('Content-Security-Policy'));
    expect(html.match(/__mailroom\/bridge\.js/g)).toHaveLength(1);
  });

  it('refuses paths outside the renderer', async () => {
    const response = await fetch(host.origin + '/..%2f..%2fetc%2fpasswd.txt');
    expect([403, 404]).toContain(response.status);
  });

  it('refuses a socket without the per-run token', async () => {
    await expect(connect('wrong-token', host.origin)).rejects.toThrow('HTTP 403');
  });

  it('refuses a socket from another origin even with the token', async () => {
    await expect(connect(host.token, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('carries the contract for our own page with the token', async () => {
    const ws = await connect(host.token, host.origin);
    const result = await call(ws, 'getAppState', {});
    expect(result).toMatchObject({ ok: true, value: { accounts: [], defaultAccountId: null } });
    const invalid = await call(ws, 'sendDraft', { draftId: '../../etc/passwd' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    ws.close();
  });
});
