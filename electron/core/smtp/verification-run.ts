import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type {
  AuthResult,
  Capabilities,
  CertificateInfo,
  TlsInfo,
  VerifyStep,
  VerifyStepName,
} from '../../../shared/domain/verification';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { MailroomError } from '../../../shared/result';
import { certificateDetail, describeCertificate } from './certificate-info';
import { inspectUntrustedCertificate, StepFailure } from './verify-network';
import { Steps } from './verify-steps';
import { classifySmtpError, type SmtpErrorContext } from './smtp-error-classify';
import { Transcript } from './transcript';
import { buildTlsOptions, DEFAULT_TIMEOUTS } from './transport-options';

export interface VerifyOptions {
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

/** The steps a check of these settings goes through, in order. */
function stepNames(settings: SmtpSettings, options: VerifyOptions): VerifyStepName[] {
  return [
    'dns',
    'connect',
    ...(settings.security === 'tls' ? (['tls'] as const) : []),
    'greeting',
    'ehlo',
    ...(settings.security === 'starttls' ? (['starttls'] as const) : []),
    ...(settings.security !== 'none' ? (['certificate'] as const) : []),
    ...(options.skipAuth ? [] : (['auth'] as const)),
  ];
}

/**
 * One settings check in progress: what it was asked, what it has found so far (each stage of the
 * pipeline in verify-endpoint.ts adds to it), its steps and its transcript.
 */
export class VerificationRun {
  readonly startedAt = new Date();
  readonly phaseMs: number;
  readonly context: SmtpErrorContext;
  readonly transcript = new Transcript();
  readonly steps: Steps;
  readonly tlsOptions: ReturnType<typeof buildTlsOptions>;

  addresses: string[] = [];
  banner: string | undefined;
  capabilities: Capabilities | undefined;
  tls: TlsInfo | undefined;
  certificate: CertificateInfo | undefined;
  auth: AuthResult | undefined;
  socket: net.Socket | undefined;
  connection: SMTPConnection | undefined;

  constructor(
    readonly settings: SmtpSettings,
    readonly options: VerifyOptions,
  ) {
    this.phaseMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.connectionMs;
    this.context = {
      host: settings.host,
      port: settings.port,
      security: settings.security,
      purpose: 'verify',
      authMethod: settings.authMethod,
    };
    this.steps = new Steps(stepNames(settings, options), options.onStep ?? (() => undefined), this.phaseMs);
    this.tlsOptions = buildTlsOptions(settings);
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** Marks the step failed and stops the pipeline. */
  fail(step: VerifyStepName, error: MailroomError, detail?: string): never {
    this.steps.fail(step, error, detail);
    throw new StepFailure(error);
  }

  classify(error: unknown): MailroomError {
    return error instanceof StepFailure ? error.error : classifySmtpError(error, this.context);
  }

  /** The certificate of a TLS connection that was accepted, as a passed step. */
  recordCertificate(secure: TLSSocket): void {
    this.certificate = describeCertificate(secure.getPeerCertificate(true), this.settings.host, {
      chainTrusted: secure.authorized,
      pinnedFingerprint: this.settings.trustedFingerprint,
      includePem: false,
    });
    this.transcript.note(`Certificate: ${certificateDetail(this.certificate)}`);
    this.steps.start('certificate');
    this.steps.pass('certificate', certificateDetail(this.certificate));
  }

  /** On a certificate failure, fetch the certificate for display and attach it to the error. */
  async explainCertificateFailure(error: MailroomError, step: VerifyStepName): Promise<never> {
    const address = this.addresses[0];
    const cert = address
      ? await inspectUntrustedCertificate(this.settings, address, Math.min(this.phaseMs, 5_000))
      : undefined;
    if (cert && cert.fingerprint256) {
      this.certificate = describeCertificate(cert, this.settings.host, {
        chainTrusted: false,
        pinnedFingerprint: this.settings.trustedFingerprint,
        includePem: true,
      });
      this.transcript.note(`Certificate: ${certificateDetail(this.certificate)}`);
      error = { ...error, details: { ...error.details, certificate: this.certificate } };
    }
    this.steps.fail(step, error);
    this.steps.start('certificate');
    return this.fail(
      'certificate',
      error,
      this.certificate ? certificateDetail(this.certificate) : error.message,
    );
  }
}
