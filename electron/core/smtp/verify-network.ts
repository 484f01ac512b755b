import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls, { type ConnectionOptions, type TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { TlsInfo } from '../../../shared/domain/verification';
import type { MailroomError } from '../../../shared/result';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { classifySmtpError } from './smtp-error-classify';

// The network steps of a settings check that happen below SMTP: DNS, TCP connect, the implicit TLS
// handshake and a look at a certificate that was not trusted. Each is its own timed step with the
// original system/OpenSSL error, which nodemailer would hide inside one connection error.

/** Thrown inside the flow to stop at a step with an already classified error. */
export class StepFailure extends Error {
  constructor(readonly error: MailroomError) {
    super(error.message);
  }
}

export function abortError(): MailroomError {
  return {
    code: 'CANCELLED',
    message: 'The check was cancelled.',
    hint: 'Start it again when you are ready.',
  };
}

/** Resolves or fails with the classified error; aborting destroys whatever `cleanup` owns. */
export function guarded<T>(
  signal: AbortSignal | undefined,
  run: (settle: { resolve: (v: T) => void; reject: (e: unknown) => void }) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let cleanup: () => void = () => undefined;
    const onAbort = () => {
      if (done) return;
      done = true;
      cleanup();
      reject(new StepFailure(abortError()));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = run({
      resolve: (v) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      reject: (e) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    });
  });
}

export async function resolveAddresses(
  host: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const literal = host.replace(/^\[|\]$/g, '');
  if (net.isIP(literal)) return [literal];
  return guarded<string[]>(signal, ({ resolve, reject }) => {
    const timer = setTimeout(
      () => reject(Object.assign(new Error(`DNS lookup of ${host} timed out`), { code: 'EAI_AGAIN' })),
      timeoutMs,
    );
    lookup(host, { all: true }).then(
      (found) => {
        clearTimeout(timer);
        // IPv4 first: on loopback and many home networks IPv6 is where things quietly fail.
        resolve(
          [...found.filter((a) => a.family === 4), ...found.filter((a) => a.family === 6)].map(
            (a) => a.address,
          ),
        );
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
    return () => clearTimeout(timer);
  });
}

export function connectOnce(
  address: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<net.Socket> {
  return guarded<net.Socket>(signal, ({ resolve, reject }) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    return () => {
      clearTimeout(timer);
      socket.destroy();
    };
  });
}

export function handshake(
  socket: net.Socket,
  options: ConnectionOptions,
  host: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<TLSSocket> {
  return guarded<TLSSocket>(signal, ({ resolve, reject }) => {
    const secure = tls.connect({ ...options, socket, host });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(
        Object.assign(new Error('TLS handshake timed out'), {
          code: 'ETIMEDOUT',
          timeoutType: 'UPGRADE_TIMEOUT',
        }),
      );
    }, timeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.removeAllListeners('error');
      resolve(secure);
    });
    secure.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    return () => {
      clearTimeout(timer);
      secure.destroy();
    };
  });
}

export const CERT_CODES = new Set(['TLS_CERT_UNTRUSTED', 'TLS_CERT_EXPIRED', 'TLS_HOSTNAME_MISMATCH']);

/**
 * Fetches the certificate of a server whose certificate just failed validation, ONLY to show it to the
 * user (subject, dates, fingerprint) so they can judge and pin it. Nothing is sent over this connection
 * but EHLO/STARTTLS: no credentials, no mail. It is the one place validation is not enforced, because
 * its whole purpose is to look at a certificate that did not validate.
 */
export async function inspectUntrustedCertificate(
  settings: SmtpSettings,
  address: string,
  timeoutMs: number,
): Promise<tls.DetailedPeerCertificate | undefined> {
  const servername = net.isIP(settings.host) ? undefined : settings.host;
  const inspectOptions: ConnectionOptions = {
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ...(servername ? { servername } : {}),
  };
  try {
    if (settings.security === 'tls') {
      const socket = await connectOnce(address, settings.port, timeoutMs, undefined);
      const secure = await handshake(socket, inspectOptions, settings.host, timeoutMs, undefined);
      const cert = secure.getPeerCertificate(true);
      secure.destroy();
      return cert;
    }
    return await new Promise((resolve) => {
      const conn = new SMTPConnection({
        host: address,
        port: settings.port,
        requireTLS: true,
        tls: inspectOptions,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        socketCloseTimeout: 0,
        logger: false,
      });
      conn.once('error', () => resolve(undefined));
      conn.connect((err) => {
        const socket = conn._socket;
        const cert = !err && socket instanceof tls.TLSSocket ? socket.getPeerCertificate(true) : undefined;
        conn.close();
        resolve(cert);
      });
    });
  } catch {
    return undefined;
  }
}

/** Whether a port answers a TLS ClientHello (any TLS reply, even with a bad certificate, counts). */
export async function speaksImplicitTls(
  address: string,
  port: number,
  tlsOptions: ConnectionOptions,
  host: string,
  timeoutMs: number,
): Promise<boolean> {
  try {
    const socket = await connectOnce(address, port, timeoutMs, undefined);
    const secure = await handshake(socket, tlsOptions, host, timeoutMs, undefined);
    secure.destroy();
    return true;
  } catch (error) {
    const code = classifySmtpError(error, { host, port, security: 'tls' }).code;
    return CERT_CODES.has(code);
  }
}

export function tlsInfo(socket: TLSSocket, mode: TlsInfo['mode']): TlsInfo {
  return {
    mode,
    version: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? 'unknown',
  };
}
