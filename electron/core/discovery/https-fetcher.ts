import https from 'node:https';
import type { SecureContextOptions } from 'node:tls';

/**
 * GET over HTTPS for autoconfig files: certificate checked, https-only redirects followed (the
 * final URL is reported so a redirect to another domain can be shown to the user), body capped.
 */

export type HttpsResponse = {
  status: number;
  body: string;
  /** Where the body finally came from, after redirects. */
  url: string;
};

export type HttpsFetcher = (url: string, options: { signal: AbortSignal }) => Promise<HttpsResponse>;

/** Where to open a TCP connection for host:port. Production connects to the name itself. */
export type ConnectRoute = (
  host: string,
  port: number,
  signal: AbortSignal,
) => Promise<{ host: string; port: number }>;

export type HttpsFetcherOptions = {
  /** Extra trusted CA certificates (PEM), in addition to Node's bundled roots. */
  ca?: SecureContextOptions['ca'];
  route?: ConnectRoute;
  maxBytes?: number;
  maxRedirects?: number;
};

export class FetchError extends Error {
  override readonly name = 'FetchError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createHttpsFetcher(options: HttpsFetcherOptions = {}): HttpsFetcher {
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;

  const getOnce = async (
    url: URL,
    signal: AbortSignal,
  ): Promise<{ status: number; body: string; location?: string }> => {
    const port = url.port ? Number(url.port) : 443;
    const target = options.route
      ? await options.route(url.hostname, port, signal)
      : { host: url.hostname, port };
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: target.host,
          port: target.port,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          // SNI and the certificate check use the real name even when routed elsewhere (tests).
          servername: url.hostname,
          headers: {
            host: url.host,
            accept: 'application/xml, text/xml;q=0.9, */*;q=0.1',
            'user-agent': 'Mailroom',
          },
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
          agent: false,
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (REDIRECTS.has(status)) {
            res.resume();
            resolve({ status, body: '', ...(location ? { location } : {}) });
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy(
                new FetchError(
                  `The file at ${url.host} is larger than ${Math.round(maxBytes / 1024)} KiB; not a settings file.`,
                  'ETOOBIG',
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  };

  return async (rawUrl, { signal }) => {
    let url = new URL(rawUrl);
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'https:')
        throw new FetchError(
          `Refused to follow a non-HTTPS link (${url.protocol}//${url.host}).`,
          'EINSECURE',
        );
      const res = await getOnce(url, signal);
      if (res.location === undefined) {
        if (REDIRECTS.has(res.status))
          throw new FetchError(`${url.host} answered ${res.status} without saying where to.`, 'EREDIRECT');
        return { status: res.status, body: res.body, url: url.toString() };
      }
      if (hop >= maxRedirects) throw new FetchError(`Too many redirects starting at ${rawUrl}.`, 'EREDIRECT');
      url = new URL(res.location, url);
    }
  };
}
