import type net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type {
  AuthResult,
  Capabilities,
  CertificateInfo,
  TlsInfo,
  VerifyReport,
  VerifyStep,
  VerifyStepName,
} from '../../../shared/domain/diagnostics';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { MailroomError } from '../../../shared/result';
import { capabilitiesDetail, capabilitySummary, parseEhlo } from './capabilities';
import { certificateDetail, describeCertificate } from './certificate-info';
import { classifySmtpError, type SmtpErrorContext } from './smtp-error-classify';
import { Transcript } from './transcript';
import { Steps } from './diagnose-steps';
import {
  CERT_CODES,
  connectOnce,
  guarded,
  handshake,
  inspectUntrustedCertificate,
  resolveAddresses,
  speaksImplicitTls,
  StepFailure,
  tlsInfo,
} from './diagnose-network';
import { buildTlsOptions, DEFAULT_TIMEOUTS } from './transport-options';

export interface DiagnoseOptions {
  password?: string | undefined;
  /** OAuth2 access token for authMethod 'oauth2': the check signs in with XOAUTH2. */
  accessToken?: string | undefined;
  /** Per phase (connect, greeting, each reply); defaults to 15 s. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onStep?: ((step: VerifyStep) => void) | undefined;
  /** Name sent with EHLO. */
  clientName?: string | undefined;
  /** Stop after EHLO/TLS, without signing in (the port probe). */
  skipAuth?: boolean | undefined;
}

/**
 * Checks one host/port/security combination step by step: DNS, TCP connect, (implicit TLS), greeting,
 * EHLO, (STARTTLS), certificate, AUTH. Never sends MAIL FROM or RCPT TO.
 *
 * DNS, TCP and the implicit TLS handshake are done here rather than by nodemailer so each gets its own
 * timing and the original system/OpenSSL error code; the SMTP conversation itself (greeting, EHLO,
 * STARTTLS, AUTH) is nodemailer's SMTPConnection on the already-open socket, followed through its
 * transaction log.
 */
export async function diagnoseEndpoint(
  settings: SmtpSettings,
  options: DiagnoseOptions = {},
): Promise<VerifyReport> {
  const startedAt = new Date();
  const { signal } = options;
  const phaseMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.connectionMs;
  const context: SmtpErrorContext = {
    host: settings.host,
    port: settings.port,
    security: settings.security,
    purpose: 'verify',
    authMethod: settings.authMethod,
  };
  const transcript = new Transcript();
  const names: VerifyStepName[] = ['dns', 'connect'];
  if (settings.security === 'tls') names.push('tls');
  names.push('greeting', 'ehlo');
  if (settings.security === 'starttls') names.push('starttls');
  if (settings.security !== 'none') names.push('certificate');
  if (!options.skipAuth) names.push('auth');
  const steps = new Steps(names, options.onStep ?? (() => undefined));

  let addresses: string[] = [];
  let banner: string | undefined;
  let capabilities: Capabilities | undefined;
  let tlsDetails: TlsInfo | undefined;
  let certificate: CertificateInfo | undefined;
  let auth: AuthResult | undefined;
  let error: MailroomError | undefined;
  let socket: net.Socket | undefined;
  let conn: SMTPConnection | undefined;

  const tlsOptions = buildTlsOptions(settings);
  const fail = (step: VerifyStepName, e: MailroomError, detail?: string): never => {
    steps.fail(step, e, detail);
    throw new StepFailure(e);
  };
  const classify = (e: unknown): MailroomError =>
    e instanceof StepFailure ? e.error : classifySmtpError(e, context);

  const recordCertificate = (secure: TLSSocket) => {
    certificate = describeCertificate(secure.getPeerCertificate(true), settings.host, {
      chainTrusted: secure.authorized,
      pinnedFingerprint: settings.trustedFingerprint,
      includePem: false,
    });
    transcript.note(`Certificate: ${certificateDetail(certificate)}`);
    steps.start('certificate');
    steps.pass('certificate', certificateDetail(certificate));
  };

  /** On a certificate failure, fetch the certificate for display and attach it to the error. */
  const explainCertificateFailure = async (e: MailroomError, step: VerifyStepName): Promise<never> => {
    const address = addresses[0];
    const cert = address
      ? await inspectUntrustedCertificate(settings, address, Math.min(phaseMs, 5_000))
      : undefined;
    if (cert && cert.fingerprint256) {
      certificate = describeCertificate(cert, settings.host, {
        chainTrusted: false,
        pinnedFingerprint: settings.trustedFingerprint,
        includePem: true,
      });
      transcript.note(`Certificate: ${certificateDetail(certificate)}`);
      e = { ...e, details: { ...e.details, certificate } };
    }
    steps.fail(step, e);
    steps.start('certificate');
    return fail('certificate', e, certificate ? certificateDetail(certificate) : e.message);
  };

  try {
    if (!tlsOptions.ok) fail('connect', tlsOptions.error);
    const tlsConnectionOptions = tlsOptions.ok ? tlsOptions.value : {};

    steps.start('dns');
    try {
      addresses = await resolveAddresses(settings.host, phaseMs, signal);
    } catch (e) {
      fail('dns', classify(e));
    }
    steps.pass('dns', addresses.join(', '));
    transcript.note(`${settings.host} resolves to ${addresses.join(', ')}`);

    steps.start('connect');
    let lastError: unknown;
    const deadline = Date.now() + phaseMs;
    for (const address of addresses) {
      try {
        socket = await connectOnce(address, settings.port, Math.max(deadline - Date.now(), 1), signal);
        break;
      } catch (e) {
        lastError = e;
        if (e instanceof StepFailure) break;
      }
    }
    if (!socket) fail('connect', classify(lastError));
    const connected = socket as net.Socket;
    steps.pass('connect', `${connected.remoteAddress}:${connected.remotePort}`);
    transcript.note(`Connected to ${connected.remoteAddress}:${connected.remotePort}`);

    if (settings.security === 'tls') {
      steps.start('tls');
      try {
        socket = await handshake(connected, tlsConnectionOptions, settings.host, phaseMs, signal);
      } catch (e) {
        const classified = classify(e);
        if (CERT_CODES.has(classified.code)) await explainCertificateFailure(classified, 'tls');
        fail('tls', classified);
      }
      tlsDetails = tlsInfo(socket as TLSSocket, 'implicit');
      steps.pass('tls', `${tlsDetails.version}, ${tlsDetails.cipher}`);
      transcript.note(`TLS ${tlsDetails.version} ${tlsDetails.cipher}`);
      recordCertificate(socket as TLSSocket);
    }

    // The SMTP conversation: nodemailer's SMTPConnection on our socket, steps driven by its log.
    let ehloCount = 0;
    const onEvent = (
      event: { kind: 'client'; line: string } | { kind: 'server'; text: string } | { kind: 'upgraded' },
    ) => {
      if (event.kind === 'server') {
        if (steps.current === 'greeting') {
          banner = event.text;
          if (/^220/.test(event.text)) steps.pass('greeting', event.text);
        } else if (steps.current === 'ehlo' && /^2/.test(event.text)) {
          capabilities = parseEhlo(event.text, settings.security === 'tls' || ehloCount > 1);
          steps.pass(
            'ehlo',
            `${capabilities.encrypted && settings.security === 'starttls' ? 'After encryption: ' : ''}${capabilitiesDetail(capabilities)}`,
          );
        }
      } else if (event.kind === 'client') {
        if (/^(EHLO|HELO) /i.test(event.line)) {
          ehloCount += 1;
          steps.start('ehlo');
        } else if (/^STARTTLS$/i.test(event.line)) {
          steps.start('starttls');
        }
      } else if (event.kind === 'upgraded') {
        const secure = conn?._socket;
        if (secure instanceof tls.TLSSocket) {
          tlsDetails = tlsInfo(secure, 'starttls');
          steps.pass('starttls', `${tlsDetails.version}, ${tlsDetails.cipher}`);
          transcript.note(`TLS ${tlsDetails.version} ${tlsDetails.cipher}`);
          recordCertificate(secure);
        }
      }
    };

    const active = new SMTPConnection({
      connection: socket as net.Socket,
      secure: settings.security === 'tls',
      secured: settings.security === 'tls',
      host: settings.host,
      port: settings.port,
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      tls: tlsConnectionOptions,
      ...(options.clientName ? { name: options.clientName } : {}),
      connectionTimeout: phaseMs,
      greetingTimeout: phaseMs,
      // Longer than the greeting timeout, so a silent server is reported as "never greeted".
      socketTimeout: phaseMs * 2,
      socketCloseTimeout: 500,
      transactionLog: true,
      logger: transcript.logger(onEvent),
    });
    conn = active;
    steps.start('greeting');
    try {
      await guarded<void>(signal, ({ resolve, reject }) => {
        active.once('error', reject);
        active.connect((err) => (err ? reject(err) : resolve()));
        return () => active.close();
      });
    } catch (e) {
      const failedStep = steps.current ?? 'greeting';
      let classified = classify(e);
      if (CERT_CODES.has(classified.code)) await explainCertificateFailure(classified, failedStep);
      if (classified.code === 'GREETING_TIMEOUT' && settings.security !== 'tls' && addresses[0]) {
        // A plain connection to an implicit-TLS port just waits: the server waits for a ClientHello.
        if (
          await speaksImplicitTls(
            addresses[0],
            settings.port,
            tlsConnectionOptions,
            settings.host,
            Math.min(phaseMs, 3_000),
          )
        ) {
          classified = {
            code: 'TLS_WRONG_MODE',
            message: `${settings.host}:${settings.port} expects SSL/TLS from the first byte, but the settings say ${settings.security === 'starttls' ? 'STARTTLS' : 'no encryption'}.`,
            hint: `Choose SSL/TLS for port ${settings.port}, or use STARTTLS with port 587.`,
          };
        }
      }
      if (failedStep === 'greeting' && banner) {
        fail('greeting', classified, banner);
      }
      fail(failedStep, classified);
    }

    if (!options.skipAuth) {
      steps.start('auth');
      const mechanisms = capabilities?.authMechanisms ?? [];
      if (settings.authMethod === 'none') {
        steps.skip('auth', 'This account does not sign in');
      } else if (settings.security === 'none' && !settings.allowUnencrypted) {
        fail('auth', {
          code: 'AUTH_REQUIRES_ENCRYPTION',
          message: `Signing in would send your password to ${settings.host} unencrypted, so Mailroom did not try.`,
          hint: capabilities?.starttls
            ? 'This server offers STARTTLS: choose STARTTLS (port 587) or SSL/TLS (port 465).'
            : 'Choose SSL/TLS (port 465) or STARTTLS (port 587). Only on a network you trust, turn on "Allow unencrypted connection".',
        });
      } else if (mechanisms.length === 0) {
        fail('auth', {
          code: 'AUTH_UNAVAILABLE',
          message: `${settings.host}:${settings.port} does not offer sign-in (no AUTH in its EHLO reply)${settings.security === 'none' ? ' on an unencrypted connection' : ''}.`,
          hint:
            settings.security === 'none'
              ? 'Many servers only offer sign-in after encryption starts: choose STARTTLS (587) or SSL/TLS (465).'
              : 'This port may be for server-to-server relay (often port 25). Use the submission port from your provider (465 or 587), or set authentication to "None" if this server accepts mail from your network without a password.',
          details: { ehlo: capabilities?.raw ?? [] },
        });
      } else if (settings.authMethod === 'oauth2' && !mechanisms.includes('XOAUTH2')) {
        fail('auth', {
          code: 'AUTH_UNAVAILABLE',
          message: `${settings.host}:${settings.port} does not offer OAuth2 sign-in (no XOAUTH2 in its AUTH list: ${mechanisms.join(' ')}).`,
          hint: 'Use a password or an app password for this server, or check that the server name is your provider’s.',
          details: { ehlo: capabilities?.raw ?? [] },
        });
      } else if (settings.authMethod === 'oauth2' ? !options.accessToken : !options.password) {
        fail(
          'auth',
          settings.authMethod === 'oauth2'
            ? {
                code: 'OAUTH_SIGN_IN_REQUIRED',
                message:
                  'This account signs in with OAuth2, and there is no sign-in from the provider yet, so sign-in could not be checked.',
                hint: 'Sign in with your provider, then check again.',
              }
            : {
                code: 'PASSWORD_MISSING',
                message: 'No password was given, so sign-in could not be checked.',
                hint: 'Enter the password for this account and check again.',
              },
        );
      } else {
        const mechanism =
          settings.authMethod === 'oauth2'
            ? 'XOAUTH2'
            : (['PLAIN', 'LOGIN'].find((m) => mechanisms.includes(m)) ??
              mechanisms.find((m) => m !== 'XOAUTH2') ??
              'PLAIN');
        const credentials =
          settings.authMethod === 'oauth2'
            ? {
                user: settings.username,
                oauth2: new XOAuth2({ user: settings.username, accessToken: options.accessToken }),
              }
            : { user: settings.username, pass: options.password ?? '', method: mechanism };
        try {
          await guarded<void>(signal, ({ resolve, reject }) => {
            active.login(credentials, (err) => (err ? reject(err) : resolve()));
            return () => active.close();
          });
          auth = {
            attempted: true,
            ok: true,
            mechanism,
            ...(active.lastServerResponse ? { response: active.lastServerResponse } : {}),
          };
          steps.pass('auth', `Signed in as ${settings.username} (${mechanism})`);
        } catch (e) {
          const classified = classify(e);
          const response =
            typeof classified.details?.serverResponse === 'string'
              ? classified.details.serverResponse
              : undefined;
          auth = { attempted: true, ok: false, mechanism, ...(response ? { response } : {}) };
          fail('auth', classified, response ?? classified.message);
        }
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        active.close();
        resolve();
      }, 1_000);
      active.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      active.quit();
    });
  } catch (e) {
    error = classify(e);
    if (!(e instanceof StepFailure) && steps.current) steps.fail(steps.current, error);
    conn?.close();
    socket?.destroy();
  }

  const summary: string[] = [];
  if (tlsDetails)
    summary.push(
      `Encrypted with ${tlsDetails.version} (${tlsDetails.mode === 'implicit' ? 'SSL/TLS' : 'STARTTLS'}).`,
    );
  else if (settings.security === 'none' && capabilities) summary.push('The connection is not encrypted.');
  if (certificate) summary.push(`Certificate: ${certificateDetail(certificate)}.`);
  if (capabilities) summary.push(...capabilitySummary(capabilities));
  if (auth?.ok) summary.push(`Signed in successfully as ${settings.username}.`);

  return {
    ok: error === undefined,
    host: settings.host,
    port: settings.port,
    security: settings.security,
    steps: steps.finish(),
    ...(error ? { error } : {}),
    transcript: transcript.lines,
    startedAt: startedAt.toISOString(),
    totalMs: Date.now() - startedAt.getTime(),
    addresses,
    ...(banner ? { banner } : {}),
    ...(capabilities ? { capabilities } : {}),
    ...(tlsDetails ? { tls: tlsDetails } : {}),
    ...(certificate ? { certificate } : {}),
    ...(auth ? { auth } : {}),
    summary,
  };
}
