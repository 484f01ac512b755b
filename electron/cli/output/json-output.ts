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

/** Elements of a document's array stringified and written together (see writeJson). */
const ELEMENTS_PER_WRITE = 500;

/**
 * The one document --json prints: exactly the text of JSON.stringify(document, null, 2), but an
 * object's arrays are written ELEMENTS_PER_WRITE elements at a time, so a reader on a pipe takes
 * each part while the next is made, instead of waiting for all of it and only then reading
 * (`outbox list` with 10,000 entries prints 8 MB). Each part comes from JSON.stringify itself,
 * wrapped so its indentation is the one it has in the whole document.
 */
export function writeJson(stream: NodeJS.WritableStream, document: unknown): void {
  // A value that turns itself into JSON (toJSON) is told its key: only the whole document says it.
  if (!isPlainObject(document) || Object.values(document).some((v) => isObject(v) && hasToJson(v))) {
    stream.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  // Keys JSON.stringify leaves out of an object.
  const keys = Object.keys(document).filter((key) => {
    const value = document[key];
    return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
  });
  if (keys.length === 0) {
    stream.write('{}\n');
    return;
  }
  let text = '{\n';
  keys.forEach((key, i) => {
    const value = document[key];
    text += `  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      text += '[\n';
      for (let start = 0; start < value.length; start += ELEMENTS_PER_WRITE) {
        // [[…elements]] puts the elements two levels deep, as in the document: drop "[\n  [\n"
        // and "\n  ]\n]" around them.
        text += JSON.stringify([value.slice(start, start + ELEMENTS_PER_WRITE)], null, 2).slice(6, -6);
        text += start + ELEMENTS_PER_WRITE < value.length ? ',\n' : '\n';
        stream.write(text);
        text = '';
      }
      text += '  ]';
    } else {
      // [value] puts it one level deep, as in the document: drop "[\n  " and "\n]".
      text += JSON.stringify([value], null, 2).slice(4, -2);
    }
    text += i < keys.length - 1 ? ',\n' : '\n';
  });
  stream.write(`${text}}\n`);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.getPrototypeOf(value) === Object.prototype && !hasToJson(value);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
