import tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { MailroomError } from '../../../shared/result';
import { capabilitiesDetail, parseEhlo } from './capabilities';
import { CERT_CODES, guarded, speaksImplicitTls, tlsInfo } from './verify-network';
import type { VerificationRun } from './verification-run';

type ConversationEvent =
  { kind: 'client'; line: string } | { kind: 'server'; text: string } | { kind: 'upgraded' };

/** Steps follow nodemailer's transaction log: what the client says starts one, the reply ends it. */
function followConversation(d: VerificationRun): (event: ConversationEvent) => void {
  let ehloCount = 0;
  return (event) => {
    if (event.kind === 'server') {
      if (d.steps.current === 'greeting') {
        d.banner = event.text;
        if (/^220/.test(event.text)) d.steps.pass('greeting', event.text);
      } else if (d.steps.current === 'ehlo' && /^2/.test(event.text)) {
        d.capabilities = parseEhlo(event.text, d.settings.security === 'tls' || ehloCount > 1);
        const after =
          d.capabilities.encrypted && d.settings.security === 'starttls' ? 'After encryption: ' : '';
        d.steps.pass('ehlo', `${after}${capabilitiesDetail(d.capabilities)}`);
      }
    } else if (event.kind === 'client') {
      if (/^(EHLO|HELO) /i.test(event.line)) {
        ehloCount += 1;
        d.steps.start('ehlo');
      } else if (/^STARTTLS$/i.test(event.line)) {
        d.steps.start('starttls');
      }
    } else {
      const secure = d.connection?._socket;
      if (secure instanceof tls.TLSSocket) {
        d.tls = tlsInfo(secure, 'starttls');
        d.steps.pass('starttls', `${d.tls.version}, ${d.tls.cipher}`);
        d.transcript.note(`TLS ${d.tls.version} ${d.tls.cipher}`);
        d.recordCertificate(secure);
      }
    }
  };
}

/** A plain connection to an implicit-TLS port just waits (the server waits for a ClientHello): say so. */
async function wrongTlsMode(d: VerificationRun, classified: MailroomError): Promise<MailroomError> {
  const address = d.addresses[0];
  if (
    classified.code !== 'GREETING_TIMEOUT' ||
    d.settings.security === 'tls' ||
    !address ||
    !d.tlsOptions.ok
  ) {
    return classified;
  }
  const { host, port, security } = d.settings;
  const tlsAnswered = await speaksImplicitTls(
    address,
    port,
    d.tlsOptions.value,
    host,
    Math.min(d.phaseMs, 3_000),
  );
  if (!tlsAnswered) return classified;
  return {
    code: 'TLS_WRONG_MODE',
    message: `${host}:${port} expects SSL/TLS from the first byte, but the settings say ${security === 'starttls' ? 'STARTTLS' : 'no encryption'}.`,
    hint: `Choose SSL/TLS for port ${port}, or use STARTTLS with port 587.`,
  };
}

/**
 * Greeting, EHLO and (for STARTTLS settings) the upgrade: nodemailer's SMTPConnection on the socket
 * the earlier stages opened.
 */
export async function smtpConversation(d: VerificationRun): Promise<void> {
  const { settings, options, phaseMs } = d;
  const connection = new SMTPConnection({
    connection: d.socket,
    secure: settings.security === 'tls',
    secured: settings.security === 'tls',
    host: settings.host,
    port: settings.port,
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    tls: d.tlsOptions.ok ? d.tlsOptions.value : {},
    ...(options.clientName ? { name: options.clientName } : {}),
    connectionTimeout: phaseMs,
    greetingTimeout: phaseMs,
    // Longer than the greeting timeout, so a silent server is reported as "never greeted".
    socketTimeout: phaseMs * 2,
    socketCloseTimeout: 500,
    transactionLog: true,
    logger: d.transcript.logger(followConversation(d)),
  });
  d.connection = connection;
  d.steps.start('greeting');
  try {
    await guarded<void>(d.signal, ({ resolve, reject }) => {
      connection.once('error', reject);
      connection.connect((err) => (err ? reject(err) : resolve()));
      return () => connection.close();
    });
  } catch (error) {
    const failedStep = d.steps.current ?? 'greeting';
    const classified = d.classify(error);
    if (CERT_CODES.has(classified.code)) await d.explainCertificateFailure(classified, failedStep);
    const explained = await wrongTlsMode(d, classified);
    if (failedStep === 'greeting' && d.banner) d.fail('greeting', explained, d.banner);
    d.fail(failedStep, explained);
  }
}

/** QUIT politely; a server that does not close within a second is hung up on. */
export async function quit(d: VerificationRun): Promise<void> {
  const connection = d.connection;
  if (!connection) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      connection.close();
      resolve();
    }, 1_000);
    connection.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    connection.quit();
  });
}
