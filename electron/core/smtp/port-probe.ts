import type { PortProbeReport, PortProbeResult } from '../../../shared/domain/verification';
import type { Security, SmtpSettings } from '../../../shared/domain/smtp-settings';
import { verifyEndpoint } from './verify-endpoint';

export interface ProbeCandidate {
  port: number;
  security: Security;
}

/** RFC 8314: implicit TLS on 465 first, STARTTLS on 587 next; 25 is for relay between servers. */
export const DEFAULT_CANDIDATES: ProbeCandidate[] = [
  { port: 465, security: 'tls' },
  { port: 587, security: 'starttls' },
  { port: 25, security: 'starttls' },
];

export interface ProbeOptions {
  /** One deadline for all candidates together; defaults to 8 s. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Ports to try, in order of preference (tests point these at local servers). */
  candidates?: ProbeCandidate[] | undefined;
  /** Certificate trust from the account, so a pinned server counts as working. */
  trust?: Pick<SmtpSettings, 'trustedFingerprint' | 'trustedCertificatePem' | 'caFile'> | undefined;
}

function reasonFor(c: ProbeCandidate): string {
  if (c.security === 'tls')
    return `Port ${c.port} with SSL/TLS: encrypted from the first byte, the recommended way to send (RFC 8314).`;
  if (c.port === 25)
    return 'Port 25 with STARTTLS works, but it is meant for server-to-server relay and often blocked or restricted; use it only if your provider says so.';
  return `Port ${c.port} with STARTTLS: the standard submission port, encrypted before you sign in.`;
}

/**
 * Given only a host, tries every candidate at once (EHLO and TLS, no sign-in, no mail) under one
 * deadline and recommends the first working one in preference order.
 */
export async function probePorts(host: string, options: ProbeOptions = {}): Promise<PortProbeReport> {
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 8_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const phaseMs = Math.max(Math.min(options.timeoutMs ?? 8_000, 15_000), 500);

  const results = await Promise.all(
    candidates.map(async (c): Promise<PortProbeResult> => {
      const settings: SmtpSettings = {
        host,
        port: c.port,
        security: c.security,
        authMethod: 'none',
        username: '',
        allowUnencrypted: false,
      };
      // Only the trust fields: the candidate's own port and security must win.
      if (options.trust?.trustedFingerprint) settings.trustedFingerprint = options.trust.trustedFingerprint;
      if (options.trust?.trustedCertificatePem)
        settings.trustedCertificatePem = options.trust.trustedCertificatePem;
      if (options.trust?.caFile) settings.caFile = options.trust.caFile;
      const report = await verifyEndpoint(settings, { timeoutMs: phaseMs, signal, skipAuth: true });
      const result: PortProbeResult = {
        port: c.port,
        security: c.security,
        ok: report.ok,
        ...(report.totalMs !== undefined ? { ms: report.totalMs } : {}),
        ...(report.banner ? { banner: report.banner } : {}),
        authMechanisms: report.capabilities?.authMechanisms ?? [],
      };
      if (report.error) {
        // The shared deadline cancels whatever is still waiting: for the user that is a timeout.
        result.error =
          report.error.code === 'CANCELLED' && deadline.aborted && !options.signal?.aborted
            ? {
                code: 'CONNECTION_TIMEOUT',
                message: `No answer from ${host}:${c.port} in time.`,
                hint:
                  c.port === 25
                    ? 'Port 25 is often blocked by internet providers.'
                    : 'A firewall may be blocking this port.',
              }
            : report.error;
      }
      return result;
    }),
  );

  const best = candidates.find((c) =>
    results.some((r) => r.ok && r.port === c.port && r.security === c.security),
  );
  if (best)
    return {
      host,
      results,
      recommendation: { port: best.port, security: best.security, reason: reasonFor(best) },
    };
  // Nothing worked: surface the most telling problem (a certificate issue beats "refused").
  const errors = results.map((r) => r.error).filter((e) => e !== undefined);
  const priority = [
    'CANCELLED',
    'TLS_CERT_UNTRUSTED',
    'TLS_CERT_EXPIRED',
    'TLS_HOSTNAME_MISMATCH',
    'DNS_NOT_FOUND',
  ];
  const error =
    priority.map((code) => errors.find((e) => e.code === code)).find((e) => e !== undefined) ?? errors[0];
  return { host, results, ...(error ? { error } : {}) };
}
