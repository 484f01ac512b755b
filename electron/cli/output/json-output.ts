import type { VerifyReport } from '../../../shared/domain/verification';
import type { MailroomError } from '../../../shared/result';

/** `{ok:false, error:{code, message, hint}}`: the shape of every failure in --json mode. */
export function failureDocument(
  error: MailroomError,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ok: false, ...extra, error: publicError(error) };
}

/** code, message, hint (and details when present, e.g. a certificate to pin); never anything else. */
export function publicError(error: MailroomError): MailroomError {
  return {
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

export interface VerifyStepDocument {
  name: string;
  ok: boolean;
  ms: number | null;
  detail: string | null;
  status: string;
  code?: string;
}

/**
 * The verify contract: `{ok, host, port, security, steps:[{name, ok, ms, detail}], capabilities, tls,
 * auth, error?}`, plus the certificate, the plain-words summary and (without --port) what the port
 * probe found and recommends. Absent parts are null so a reader can rely on every key. The
 * transcript stays out: it is for the app's expert view, and a terminal log is no place for it.
 */
export function verifyDocument(report: VerifyReport): Record<string, unknown> {
  const steps: VerifyStepDocument[] = report.steps.map((s) => ({
    name: s.name,
    ok: s.status === 'passed',
    ms: s.ms ?? null,
    detail: s.detail ?? null,
    status: s.status,
    ...(s.code ? { code: s.code } : {}),
  }));
  return {
    ok: verifyPassed(report),
    host: report.host,
    port: report.port,
    security: report.security,
    steps,
    capabilities: report.capabilities ?? null,
    tls: report.tls ?? null,
    auth: report.auth ?? null,
    certificate: report.certificate ? withoutPem(report.certificate) : null,
    summary: report.summary,
    ...(report.probe
      ? {
          probe: {
            results: report.probe.results.map((r) => ({
              port: r.port,
              security: r.security,
              ok: r.ok,
              ms: r.ms ?? null,
              ...(r.error ? { error: publicError(r.error) } : {}),
            })),
            recommendation: report.probe.recommendation ?? null,
          },
        }
      : {}),
    ...(report.error ? { error: publicError(report.error) } : {}),
  };
}

/** Exit 0 only when the check succeeded and every step it ran passed. */
export function verifyPassed(report: VerifyReport): boolean {
  return report.ok && report.steps.every((s) => s.status === 'passed');
}

function withoutPem<T extends { pem?: string | undefined }>(certificate: T): Omit<T, 'pem'> {
  const { pem: _pem, ...rest } = certificate;
  return rest;
}

/** The one document --json prints. */
export function writeJson(stream: NodeJS.WritableStream, document: unknown): void {
  stream.write(`${JSON.stringify(document, null, 2)}\n`);
}
