import type { VerifyReport, VerifyStep } from '../../../shared/domain/verification';
import { VERIFY_STEP_LABELS } from '../../../shared/domain/verification';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { verifyEndpoint, type VerifyOptions } from './verify-endpoint';
import { probePorts, type ProbeCandidate } from './port-probe';

export type { VerifyOptions } from './verify-endpoint';
export { probePorts, DEFAULT_CANDIDATES, type ProbeCandidate, type ProbeOptions } from './port-probe';

/** The settings a check needs; without a port the check finds one first. */
export type VerifySettings = Omit<SmtpSettings, 'port'> & { port?: number | undefined };

/**
 * The one settings check: returns a structured report and calls onStep for every step as it starts,
 * passes, fails or is skipped (dns, connect, tls, greeting, ehlo, starttls, certificate, auth, and
 * `probe` first when no port was given). Never throws; never sends MAIL FROM or RCPT TO.
 */
export async function verifySmtpSettings(
  settings: VerifySettings,
  options: VerifyOptions & { probeCandidates?: ProbeCandidate[] | undefined } = {},
): Promise<VerifyReport> {
  if (settings.port !== undefined) return verifyEndpoint({ ...settings, port: settings.port }, options);

  const emit = (step: VerifyStep) => options.onStep?.(step);
  const label = VERIFY_STEP_LABELS.probe;
  const started = Date.now();
  emit({ name: 'probe', label, status: 'running' });
  const probe = await probePorts(settings.host, {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    candidates: options.probeCandidates,
    trust: {
      trustedFingerprint: settings.trustedFingerprint,
      trustedCertificatePem: settings.trustedCertificatePem,
      caFile: settings.caFile,
    },
  });
  const ms = Date.now() - started;
  const probeStep: VerifyStep = probe.recommendation
    ? { name: 'probe', label, status: 'passed', ms, detail: probe.recommendation.reason }
    : {
        name: 'probe',
        label,
        status: 'failed',
        ms,
        detail: probe.error?.message ?? 'No port answered',
        ...(probe.error ? { code: probe.error.code } : {}),
      };
  emit(probeStep);
  if (!probe.recommendation) {
    return {
      ok: false,
      host: settings.host,
      port: 0,
      security: settings.security,
      steps: [probeStep],
      ...(probe.error ? { error: probe.error } : {}),
      transcript: [],
      addresses: [],
      summary: [],
      probe,
    };
  }
  const report = await verifyEndpoint(
    { ...settings, port: probe.recommendation.port, security: probe.recommendation.security },
    options,
  );
  return { ...report, steps: [probeStep, ...report.steps], probe };
}
