import { randomUUID } from 'node:crypto';
import type { VerifyReport, VerifyStep } from '../../shared/domain/verification';
import type { SmtpSettingsInput } from '../../shared/domain/smtp-settings';
import type { Result } from '../../shared/result';
import type { CliSession } from './cli-session';

export interface VerifyInput {
  /** Without a port the check probes 465, 587 and 25 and verifies the best one. */
  smtp: Omit<SmtpSettingsInput, 'port'> & { port?: number | undefined };
  password?: string | undefined;
  timeoutMs?: number | undefined;
  onStep?: (step: VerifyStep) => void;
  /** Called before a second pass that pins the certificate --trust-fingerprint named. */
  onPinning?: (fingerprint: string) => void;
}

export interface VerifyOutcome {
  report: VerifyReport;
  /** The PEM of the certificate --trust-fingerprint pinned (saved with an account, like the wizard does). */
  pinnedPem?: string;
}

/**
 * The app's verifySmtp, plus what the wizard does for a pinned certificate: a fingerprint alone is not
 * enough to trust a self-signed server (validation stays on; the certificate itself is added to the
 * roots for this account). So when the server presents exactly the certificate the user named, the
 * check runs again with that certificate pinned.
 */
export async function verifySettings(
  session: CliSession,
  input: VerifyInput,
): Promise<Result<VerifyOutcome>> {
  const run = async (smtp: VerifyInput['smtp']): Promise<Result<VerifyReport>> => {
    const requestId = randomUUID();
    return session.call(
      'verifySmtp',
      {
        requestId,
        smtp,
        ...(input.password !== undefined ? { password: input.password } : {}),
        ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      },
      (event, payload) => {
        if (event !== 'verifyProgress') return;
        const progress = payload as { requestId: string; step: VerifyStep };
        if (progress.requestId === requestId) input.onStep?.(progress.step);
      },
    );
  };
  const first = await run(input.smtp);
  if (!first.ok) return first;
  const wanted = input.smtp.trustedFingerprint;
  const presented = first.value.certificate;
  // From the core, which is loaded only once a command runs (see cli-core.ts), not at start.
  const { normalizeFingerprint } = await import('../core/smtp/transport-options');
  const code = first.value.error?.code;
  if (
    wanted &&
    !input.smtp.trustedCertificatePem &&
    presented?.pem &&
    normalizeFingerprint(presented.fingerprint256) === normalizeFingerprint(wanted) &&
    (code === 'TLS_CERT_UNTRUSTED' || code === 'TLS_HOSTNAME_MISMATCH' || code === 'TLS_CERT_EXPIRED')
  ) {
    input.onPinning?.(presented.fingerprint256);
    const pem = presented.pem;
    const endpoint =
      first.value.port > 0
        ? { port: first.value.port, security: first.value.security as 'tls' | 'starttls' | 'none' }
        : {};
    const second = await run({ ...input.smtp, trustedCertificatePem: pem, ...endpoint });
    if (!second.ok) return second;
    return { ok: true, value: { report: second.value, pinnedPem: pem } };
  }
  return { ok: true, value: { report: first.value } };
}
