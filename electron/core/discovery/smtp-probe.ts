import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SecureContextOptions } from 'node:tls';
import type { Security } from '../../../shared/domain/smtp-settings';
import type { ConnectRoute } from './https-fetcher';

/**
 * A real EHLO probe: connect, read the greeting, EHLO, and for STARTTLS upgrade and EHLO again,
 * then QUIT. No credentials are sent. Confirms a guessed host:port speaks SMTP with working TLS.
 */

export type ProbeTarget = { host: string; port: number; security: Exclude<Security, 'none'> };
export type ProbeOutcome = { ok: true; offersAuth: boolean } | { ok: false; reason: string };
export type SmtpProbe = (
  target: ProbeTarget,
  options: { signal: AbortSignal; timeoutMs: number },
) => Promise<ProbeOutcome>;

export type SmtpProbeOptions = {
  /** Extra trusted CA certificates (PEM); Node's bundled roots stay trusted. */
  ca?: SecureContextOptions['ca'];
  route?: ConnectRoute;
};

type ErrorWithCode = Error & { code?: string };

function describe(err: ErrorWithCode, target: ProbeTarget): string {
  const where = `${target.host}:${target.port}`;
  const msg = err.message ?? '';
  if (err.code === 'ENOTFOUND' || /ENOTFOUND|ENODATA/.test(msg)) return `${target.host}: no such server`;
  // A DNS server that never answers is not a missing server: say which it was.
  if (/\b(ETIMEOUT|EAI_AGAIN)\b/.test(`${err.code ?? ''} ${msg}`))
    return `${target.host}: the DNS server did not answer`;
  if (/ECONNREFUSED/.test(msg)) return `${where}: nothing listening`;
  if (err.code === 'ETIMEDOUT' || /timeout/i.test(msg)) return `${where}: no answer in time`;
  if (/certificate|self[- ]signed|altnames/i.test(msg)) return `${where}: certificate not trusted (${msg})`;
  if (/STARTTLS/i.test(msg)) return `${where}: does not offer STARTTLS`;
  return `${where}: ${msg || 'failed'}`;
}

export function createSmtpProbe(options: SmtpProbeOptions = {}): SmtpProbe {
  return async (target, { signal, timeoutMs }) => {
    if (signal.aborted) return { ok: false, reason: 'cancelled' };
    let route: { host: string; port: number };
    try {
      route = options.route
        ? await options.route(target.host, target.port, signal)
        : { host: target.host, port: target.port };
    } catch (err) {
      return { ok: false, reason: describe(err as ErrorWithCode, target) };
    }
    return new Promise<ProbeOutcome>((resolve) => {
      let settled = false;
      const conn = new SMTPConnection({
        host: route.host,
        port: route.port,
        secure: target.security === 'tls',
        requireTLS: target.security === 'starttls',
        servername: target.host,
        tls: { servername: target.host, ...(options.ca !== undefined ? { ca: options.ca } : {}) },
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        dnsTimeout: timeoutMs,
        socketCloseTimeout: 0,
      });
      const finish = (outcome: ProbeOutcome): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        conn.close();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ ok: false, reason: 'cancelled' });
      signal.addEventListener('abort', onAbort, { once: true });
      conn.on('error', (err: ErrorWithCode) => finish({ ok: false, reason: describe(err, target) }));
      conn.connect((err) => {
        if (err) {
          finish({ ok: false, reason: describe(err as ErrorWithCode, target) });
          return;
        }
        // A successful connect() has already read EHLO (after STARTTLS when asked), so we know enough.
        const offersAuth = conn.allowsAuth;
        try {
          conn.quit();
        } catch {
          // QUIT is a courtesy; the connection is closed in finish() either way.
        }
        finish({ ok: true, offersAuth });
      });
    });
  };
}
