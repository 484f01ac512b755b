import type { VerifyReport } from '../../../shared/domain/verification';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { MailroomError } from '../../../shared/result';
import { capabilitySummary } from './capabilities';
import { certificateDetail } from './certificate-info';
import { connectTcp, implicitTls, resolveHost } from './verify-connection';
import { quit, smtpConversation } from './verify-conversation';
import { StepFailure } from './verify-network';
import { signIn } from './verify-sign-in';
import { VerificationRun, type VerifyOptions } from './verification-run';

export type { VerifyOptions } from './verification-run';

/**
 * The check of one host/port/security combination, as a pipeline: each stage adds what it found to
 * the VerificationRun and ends its own step; the first failure stops the rest, which are reported skipped.
 */
const PIPELINE: readonly ((d: VerificationRun) => Promise<void>)[] = [
  resolveHost,
  connectTcp,
  implicitTls,
  smtpConversation,
  signIn,
  quit,
];

/** What the user reads first: encryption, certificate, what the server offers, sign-in. */
function summarize(d: VerificationRun): string[] {
  const summary: string[] = [];
  if (d.tls)
    summary.push(`Encrypted with ${d.tls.version} (${d.tls.mode === 'implicit' ? 'SSL/TLS' : 'STARTTLS'}).`);
  else if (d.settings.security === 'none' && d.capabilities) summary.push('The connection is not encrypted.');
  if (d.certificate) summary.push(`Certificate: ${certificateDetail(d.certificate)}.`);
  if (d.capabilities) summary.push(...capabilitySummary(d.capabilities));
  if (d.auth?.ok) summary.push(`Signed in successfully as ${d.settings.username}.`);
  return summary;
}

/**
 * Checks one host/port/security combination step by step: DNS, TCP connect, (implicit TLS), greeting,
 * EHLO, (STARTTLS), certificate, AUTH. Never sends MAIL FROM or RCPT TO.
 */
export async function verifyEndpoint(
  settings: SmtpSettings,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const d = new VerificationRun(settings, options);
  let error: MailroomError | undefined;
  try {
    for (const stage of PIPELINE) await stage(d);
  } catch (e) {
    error = d.classify(e);
    if (!(e instanceof StepFailure) && d.steps.current) d.steps.fail(d.steps.current, error);
    d.connection?.close();
    d.socket?.destroy();
  }
  return {
    ok: error === undefined,
    host: settings.host,
    port: settings.port,
    security: settings.security,
    steps: d.steps.finish(),
    ...(error ? { error } : {}),
    transcript: d.transcript.lines,
    startedAt: d.startedAt.toISOString(),
    totalMs: Date.now() - d.startedAt.getTime(),
    addresses: d.addresses,
    ...(d.banner ? { banner: d.banner } : {}),
    ...(d.capabilities ? { capabilities: d.capabilities } : {}),
    ...(d.tls ? { tls: d.tls } : {}),
    ...(d.certificate ? { certificate: d.certificate } : {}),
    ...(d.auth ? { auth: d.auth } : {}),
    summary: summarize(d),
  };
}
