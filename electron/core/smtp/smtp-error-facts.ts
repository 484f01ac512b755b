import type { ErrorCode } from '../../../shared/error-codes';
import type { SmtpErrorContext } from './smtp-error-classify';

// What an error thrown by nodemailer (or Node's net, tls, dns) says, read off it once: the facts the
// classifier's rules (smtp-error-rules.ts) decide on.

/** The fields nodemailer (and Node's net/tls/dns) put on their errors; everything is optional. */
export interface ErrorFacts {
  message: string;
  /** nodemailer's code (EAUTH, ESOCKET...) or a system code when the error did not come from nodemailer. */
  code: string | undefined;
  /** The system / OpenSSL code nodemailer replaced with its own (ECONNREFUSED, CERT_HAS_EXPIRED...). */
  systemCode: string | undefined;
  responseCode: number | undefined;
  response: string | undefined;
  command: string | undefined;
  timeoutType: string | undefined;
  name: string | undefined;
}

/**
 * The SMTP step a failure happened at. nodemailer labels an error 'CONN' when a 421 ends the
 * session, whichever command it answered: during a send, a 421 reply to MAIL FROM or DATA comes
 * with that command's own error, so "Server closed the connection" with a 421 means it answered
 * RCPT TO (nodemailer records the recipient as refused and then closes).
 */
export function stageOf(f: ErrorFacts, context: SmtpErrorContext): string {
  const command = (f.command ?? '').toUpperCase();
  if (
    context.purpose === 'send' &&
    command === 'CONN' &&
    f.responseCode === 421 &&
    /^Server closed the connection/.test(f.message)
  )
    return 'RCPT TO';
  return command;
}

export function factsOf(error: unknown): ErrorFacts {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<
    string,
    unknown
  >;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const code = str(e.code);
  // Node's own errors carry the system code in `code`; nodemailer moves it to `originalCode`.
  const systemCode =
    str(e.originalCode) ??
    (code && !/^E[A-Z]+$/.test(code) ? code : undefined) ??
    str((e.cause as Record<string, unknown> | undefined)?.code);
  return {
    message: str(e.message) ?? 'Unknown error',
    code,
    systemCode:
      systemCode ??
      (code &&
      [
        'ECONNREFUSED',
        'ENOTFOUND',
        'ETIMEDOUT',
        'ECONNRESET',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'EAI_AGAIN',
        'ENOENT',
        'EPIPE',
      ].includes(code)
        ? code
        : undefined),
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    response: str(e.response),
    command: str(e.command),
    timeoutType: str(e.timeoutType),
    name: str(e.name),
  };
}

/** "5.7.8" out of "535-5.7.8 Username and Password not accepted". */
export function enhancedStatusOf(response: string | undefined): string | undefined {
  return response?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

const CERT_UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
]);

/** TLS failures, recognised by OpenSSL code or (after nodemailer's STARTTLS path drops the code) by text. */
export function tlsCodeOf(f: ErrorFacts): ErrorCode | undefined {
  const text = `${f.systemCode ?? ''} ${f.message}`;
  if (/CERT_HAS_EXPIRED|certificate has expired|CERT_NOT_YET_VALID|certificate is not yet valid/i.test(text))
    return 'TLS_CERT_EXPIRED';
  if (
    /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames|Hostname\/IP does not match/i.test(
      text,
    )
  )
    return 'TLS_HOSTNAME_MISMATCH';
  if (
    (f.systemCode && CERT_UNTRUSTED_CODES.has(f.systemCode)) ||
    /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate not trusted/i.test(
      f.message,
    )
  ) {
    return 'TLS_CERT_UNTRUSTED';
  }
  if (
    /wrong version number|WRONG_VERSION_NUMBER|packet length too long|http request|unknown protocol/i.test(
      text,
    )
  )
    return 'TLS_WRONG_MODE';
  if (
    /^ERR_SSL_|^ERR_TLS_/.test(f.systemCode ?? '') ||
    /ssl|tls|handshake|alert|unsupported protocol|no protocols available/i.test(f.message)
  ) {
    return 'TLS_HANDSHAKE_FAILED';
  }
  return undefined;
}
