import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  CERT_CODES,
  connectOnce,
  handshake,
  resolveAddresses,
  StepFailure,
  tlsInfo,
} from './verify-network';
import type { VerificationRun } from './verification-run';

// The stages before SMTP is spoken: DNS, TCP connect, and the implicit TLS handshake. They are done
// here rather than by nodemailer so each gets its own timing and the original system/OpenSSL error.

export async function resolveHost(d: VerificationRun): Promise<void> {
  if (!d.tlsOptions.ok) d.fail('connect', d.tlsOptions.error);
  d.steps.start('dns');
  try {
    d.addresses = await resolveAddresses(d.settings.host, d.phaseMs, d.signal);
  } catch (error) {
    d.fail('dns', d.classify(error));
  }
  d.steps.pass('dns', d.addresses.join(', '));
  d.transcript.note(`${d.settings.host} resolves to ${d.addresses.join(', ')}`);
}

/** Tries each address in turn within one deadline; a cancelled attempt stops the loop. */
export async function connectTcp(d: VerificationRun): Promise<void> {
  d.steps.start('connect');
  let lastError: unknown;
  const deadline = Date.now() + d.phaseMs;
  let socket: net.Socket | undefined;
  for (const address of d.addresses) {
    try {
      socket = await connectOnce(address, d.settings.port, Math.max(deadline - Date.now(), 1), d.signal);
      break;
    } catch (error) {
      lastError = error;
      if (error instanceof StepFailure) break;
    }
  }
  if (!socket) return d.fail('connect', d.classify(lastError));
  d.socket = socket;
  d.steps.pass('connect', `${socket.remoteAddress}:${socket.remotePort}`);
  d.transcript.note(`Connected to ${socket.remoteAddress}:${socket.remotePort}`);
}

/** SSL/TLS from the first byte (port 465, RFC 8314). Nothing to do for STARTTLS or plain settings. */
export async function implicitTls(d: VerificationRun): Promise<void> {
  if (d.settings.security !== 'tls' || !d.socket || !d.tlsOptions.ok) return;
  d.steps.start('tls');
  let secure: TLSSocket | undefined;
  try {
    secure = await handshake(d.socket, d.tlsOptions.value, d.settings.host, d.phaseMs, d.signal);
  } catch (error) {
    const classified = d.classify(error);
    if (CERT_CODES.has(classified.code)) await d.explainCertificateFailure(classified, 'tls');
    return d.fail('tls', classified);
  }
  d.socket = secure;
  d.tls = tlsInfo(secure, 'implicit');
  d.steps.pass('tls', `${d.tls.version}, ${d.tls.cipher}`);
  d.transcript.note(`TLS ${d.tls.version} ${d.tls.cipher}`);
  d.recordCertificate(secure);
}
