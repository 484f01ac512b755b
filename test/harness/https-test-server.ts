import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority made with openssl at test time, and a local HTTPS server
 * that uses a certificate from it. Tests trust the CA explicitly, so nothing here weakens
 * certificate checking: a name missing from the certificate still fails as it would in real life.
 */

export type TestCa = {
  caCert: string;
  /** Issues a server certificate for these DNS names (also usable by SMTP test servers). */
  issue(names: string[]): { cert: string; key: string };
  dispose(): void;
};

export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-ca-'));
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Mailroom Test CA',
  ]);
  let serial = 0;
  return {
    caCert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    issue(names) {
      serial++;
      const base = `server-${serial}`;
      writeFileSync(
        join(dir, `${base}.ext`),
        `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`,
      );
      run([
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${names[0] ?? 'localhost'}`,
      ]);
      run([
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        String(1000 + serial),
        '-days',
        '2',
        '-out',
        `${base}.crt`,
        '-extfile',
        `${base}.ext`,
      ]);
      return {
        cert: readFileSync(join(dir, `${base}.crt`), 'utf8'),
        key: readFileSync(join(dir, `${base}.key`), 'utf8'),
      };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestResponse = { status: number; body?: string; headers?: Record<string, string> };
/** Keyed by "host/path" (path without the query), e.g. "autoconfig.example.test/mail/config-v1.1.xml". */
export type TestRoutes = Record<string, TestResponse | 'hang'>;

export type HttpsTestServer = {
  port: number;
  /** Every request seen, as "host/path?query". */
  requests: string[];
  stop(): Promise<void>;
};

export async function startHttpsTestServer(
  tls: { cert: string; key: string },
  routes: TestRoutes,
): Promise<HttpsTestServer> {
  const requests: string[] = [];
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', 'https://placeholder');
    requests.push(`${host}${url.pathname}${url.search}`);
    const route = routes[`${host}${url.pathname}`];
    if (route === 'hang') return; // never answers: for deadline tests
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(route.status, { 'content-type': 'application/xml', ...route.headers })
      .end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
