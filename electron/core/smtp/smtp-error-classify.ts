import type { ErrorCode } from '../../../shared/error-codes';
import type { MailroomError } from '../../../shared/result';
import type { AuthMethod, Security, SmtpSettings } from '../../../shared/domain/smtp-settings';

/** Where the failure happened, so the words can name the server and the step. */
export interface SmtpErrorContext {
  host: string;
  port: number;
  security: Security;
  /** 'verify' wording talks about checking settings, 'send' about the message. */
  purpose?: 'verify' | 'send' | undefined;
  /** An 'oauth2' account has no password to get wrong: a refused sign-in means signing in again. */
  authMethod?: AuthMethod | undefined;
}

/** How a send's failures are worded: about the message, for this account's server and sign-in. */
export function sendErrorContext(
  settings: Pick<SmtpSettings, 'host' | 'port' | 'security' | 'authMethod'>,
): SmtpErrorContext {
  return {
    host: settings.host,
    port: settings.port,
    security: settings.security,
    purpose: 'send',
    authMethod: settings.authMethod,
  };
}

/** The fields nodemailer (and Node's net/tls/dns) put on their errors; everything is optional. */
interface ErrorFacts {
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

export type Provider = 'gmail' | 'microsoft' | 'icloud' | 'yahoo';

/** Recognises the big providers by server name or by their tell-tale replies. */
export function providerFor(host: string, response = ''): Provider | undefined {
  const h = host.toLowerCase();
  if (/(^|\.)(gmail|googlemail|google)\.com$/.test(h) || /gsmtp\b/i.test(response)) return 'gmail';
  if (/(^|\.)(office365|outlook|hotmail|live)\.com$/.test(h) || /5\.7\.(139|30)\b/.test(response))
    return 'microsoft';
  if (/(^|\.)(me|mac|icloud)\.com$/.test(h)) return 'icloud';
  if (/(^|\.)(yahoo|aol)\.com$/.test(h) || /(^|\.)yahoo\.[a-z.]+$/.test(h)) return 'yahoo';
  return undefined;
}

/**
 * The SMTP step a failure happened at. nodemailer labels an error 'CONN' when a 421 ends the
 * session, whichever command it answered: during a send, a 421 reply to MAIL FROM or DATA comes
 * with that command's own error, so "Server closed the connection" with a 421 means it answered
 * RCPT TO (nodemailer records the recipient as refused and then closes).
 */
function stageOf(f: ErrorFacts, context: SmtpErrorContext): string {
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

function factsOf(error: unknown): ErrorFacts {
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
function tlsCodeOf(f: ErrorFacts): ErrorCode | undefined {
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

const where = (c: SmtpErrorContext) => `${c.host}:${c.port}`;

function authHint(provider: Provider | undefined, enhanced: string | undefined): string {
  switch (provider) {
    case 'gmail':
      return 'Google does not accept your normal password here. Turn on 2-Step Verification and create an app password (Google Account > Security > App passwords), then use it instead, or sign in with Google.';
    case 'microsoft':
      return enhanced === '5.7.139' || enhanced === '5.7.30' || enhanced === undefined
        ? 'Microsoft 365 has password sign-in (SMTP AUTH) turned off for your organisation or mailbox. Ask your administrator to enable "Authenticated SMTP" for this mailbox, or sign in with Microsoft (OAuth2) instead.'
        : 'Check the user name (your full email address) and password. If your organisation turned off SMTP AUTH, sign in with Microsoft (OAuth2) instead.';
    case 'icloud':
      return 'iCloud Mail needs an app-specific password: create one at appleid.apple.com (Sign-In and Security > App-Specific Passwords) and use your full iCloud address as the user name.';
    case 'yahoo':
      return 'Yahoo and AOL need an app password: create one under Account Security > Generate app password, and use it instead of your normal password.';
    default:
      return 'Check the user name (often your full email address) and the password. Some providers require an app-specific password when two-step verification is on.';
  }
}

/** Turns whatever nodemailer, net, tls or dns threw into a stable code, plain words and a next step. */
export function classifySmtpError(error: unknown, context: SmtpErrorContext): MailroomError {
  const f = factsOf(error);
  const command = stageOf(f, context);
  const details: Record<string, unknown> = {};
  if (f.response) details.serverResponse = f.response.trim();
  if (f.responseCode) details.responseCode = f.responseCode;
  const enhanced = enhancedStatusOf(f.response);
  if (enhanced) details.enhancedStatus = enhanced;
  if (command) details.command = command;
  if (f.systemCode) details.systemCode = f.systemCode;
  if (f.code && f.code !== f.systemCode) details.libraryCode = f.code;
  const make = (code: ErrorCode, message: string, hint: string): MailroomError => ({
    code,
    message,
    hint,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  });
  const server = where(context);
  const said = f.response ? ` The server said: "${f.response.trim()}".` : '';
  const reply = f.responseCode;

  if (f.name === 'AbortError' || f.code === 'EABORT' || f.code === 'ABORT_ERR') {
    return make(
      'CANCELLED',
      'The operation was cancelled before it finished.',
      'Start it again when you are ready.',
    );
  }

  // Name resolution.
  if (f.code === 'EDNS' || ['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'EAI_NONAME'].includes(f.systemCode ?? '')) {
    if (f.systemCode === 'EAI_AGAIN') {
      return make(
        'DNS_NOT_FOUND',
        `The name ${context.host} could not be looked up: no DNS server answered.`,
        'Check that this computer is online, then try again.',
      );
    }
    return make(
      'DNS_NOT_FOUND',
      `The server name ${context.host} does not exist (DNS has no address for it).`,
      "Check the spelling of the outgoing server name; your provider's help pages list it (for example smtp.gmail.com).",
    );
  }

  if (f.systemCode === 'ENOENT' && (f.code === 'ESTREAM' || !f.command || f.command === 'API')) {
    return make(
      'FILE_NOT_FOUND',
      `A file could not be found: ${f.message}`,
      'Attach the file again; it may have been moved or deleted.',
    );
  }
  if (f.code === 'EFILEACCESS' || f.code === 'EURLACCESS') {
    return make(
      'INVALID_REQUEST',
      'An attachment pointed somewhere Mailroom does not read from.',
      'Attach files from this computer only.',
    );
  }

  // Timeouts: nodemailer tags which phase ran out of time.
  if (f.code === 'ETIMEDOUT' || f.systemCode === 'ETIMEDOUT') {
    if (f.timeoutType === 'GREETING_TIMEOUT') {
      if (context.security !== 'tls' && context.port === 465) {
        return make(
          'TLS_WRONG_MODE',
          `${server} did not greet a plain connection: port 465 expects encryption from the first byte.`,
          'Choose SSL/TLS for port 465, or STARTTLS with port 587.',
        );
      }
      return make(
        'GREETING_TIMEOUT',
        `${server} accepted the connection but never sent its welcome message.`,
        context.security !== 'tls'
          ? 'The port may expect SSL/TLS from the start (try SSL/TLS), or the server is overloaded. Check the port and security settings.'
          : 'The server may be overloaded, or something on the network is intercepting mail traffic. Try again later or try another port.',
      );
    }
    if (f.timeoutType === 'UPGRADE_TIMEOUT') {
      return make(
        'TLS_HANDSHAKE_FAILED',
        `The encryption handshake with ${server} did not finish in time.`,
        'Try again; if it keeps happening, try the other security option (SSL/TLS on 465 or STARTTLS on 587).',
      );
    }
    if (f.timeoutType === 'SOCKET_TIMEOUT') {
      return make(
        'NETWORK_ERROR',
        `${server} stopped responding in the middle of the conversation.`,
        'Try again. If it keeps happening, the server or your connection is having trouble.',
      );
    }
    return make(
      'CONNECTION_TIMEOUT',
      `Could not connect to ${server}: there was no answer at all.`,
      context.port === 25
        ? 'Many internet providers block port 25 for home connections. Use port 587 (STARTTLS) or 465 (SSL/TLS) instead.'
        : 'A firewall or your network is probably blocking this port. Check the port number, try another network, or try 465 or 587.',
    );
  }

  // Refused / unreachable.
  if (f.systemCode === 'ECONNREFUSED') {
    return make(
      'CONNECTION_REFUSED',
      `${server} refused the connection: nothing is accepting mail on port ${context.port}.`,
      'Check the port number. Submission is usually 465 (SSL/TLS) or 587 (STARTTLS).',
    );
  }
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN'].includes(f.systemCode ?? '')) {
    return make(
      'NETWORK_ERROR',
      `${server} cannot be reached from this network.`,
      'Check that this computer is online, then try again.',
    );
  }

  // STARTTLS refused by the server.
  if (command === 'STARTTLS' && reply) {
    if (reply >= 400 && reply < 500) {
      return make(
        'SERVER_TEMPORARY',
        `${server} could not start encryption right now.${said}`,
        'Try again in a few minutes.',
      );
    }
    return make(
      'STARTTLS_UNAVAILABLE',
      `${server} does not offer STARTTLS, so the connection cannot be encrypted and Mailroom stopped before sending anything.${said}`,
      context.port === 587 || context.port === 25
        ? 'Try SSL/TLS on port 465. Do not switch to an unencrypted connection unless this server is on a network you trust.'
        : 'Check the port: STARTTLS is normally used on port 587.',
    );
  }

  // TLS (handshake, certificate, wrong mode).
  if (f.code === 'ETLS' || f.code === 'ESOCKET' || f.code === 'ECONNECTION' || !f.code || f.systemCode) {
    const tlsCode = tlsCodeOf(f);
    if (tlsCode === 'TLS_CERT_EXPIRED') {
      return make(
        'TLS_CERT_EXPIRED',
        `The security certificate of ${context.host} has expired (or is not valid yet), so the connection is not safe to use.`,
        "Check that this computer's date and time are right. If they are, the server's certificate must be renewed: tell the mail provider or administrator.",
      );
    }
    if (tlsCode === 'TLS_HOSTNAME_MISMATCH') {
      return make(
        'TLS_HOSTNAME_MISMATCH',
        `The security certificate presented by ${server} is for a different server name, so Mailroom cannot be sure it is talking to ${context.host}.`,
        "Use the exact server name from your provider's instructions (the certificate shows which names it covers).",
      );
    }
    if (tlsCode === 'TLS_CERT_UNTRUSTED') {
      return make(
        'TLS_CERT_UNTRUSTED',
        `The security certificate of ${context.host} is not signed by an authority this computer trusts (it may be self-signed or from a private authority).`,
        "If this is your own or your organisation's server, compare the certificate fingerprint with the one your administrator gives you and trust it for this account only. Otherwise do not continue.",
      );
    }
    if (tlsCode === 'TLS_WRONG_MODE') {
      return make(
        'TLS_WRONG_MODE',
        context.security === 'tls'
          ? `${server} does not use SSL/TLS from the first byte (it answered in plain text; it probably expects STARTTLS).`
          : `${server} and Mailroom disagree about when encryption starts.`,
        context.security === 'tls'
          ? 'Choose STARTTLS for this port (usually 587), or use SSL/TLS with port 465.'
          : 'Choose SSL/TLS for port 465, or STARTTLS with port 587.',
      );
    }
    if ((tlsCode === 'TLS_HANDSHAKE_FAILED' && f.systemCode) || f.code === 'ETLS') {
      return make(
        'TLS_HANDSHAKE_FAILED',
        `An encrypted connection to ${server} could not be set up: ${f.message}`,
        'The server may only support outdated encryption (older than TLS 1.2). Ask the provider, or try the other security option.',
      );
    }
  }

  // SMTP replies.
  if (reply !== undefined && reply >= 400 && reply < 500) {
    return make(
      'SERVER_TEMPORARY',
      `${server} reported a temporary problem${command === 'CONN' ? ' and closed the connection' : command ? ` (at ${command})` : ''}.${said}`,
      'Nothing is wrong with your settings. Try again in a few minutes; the outbox retries automatically.',
    );
  }

  if (f.code === 'EAUTH' || f.code === 'ENOAUTH' || command.startsWith('AUTH')) {
    if (!reply && /Missing credentials/i.test(f.message)) {
      return make(
        'PASSWORD_MISSING',
        'No password is saved for this account, so Mailroom could not sign in.',
        'Enter the password in the account settings.',
      );
    }
    if (reply === 538 || (reply === 530 && /starttls|tls|encrypt/i.test(f.response ?? ''))) {
      return make(
        'AUTH_REQUIRES_ENCRYPTION',
        `${server} only accepts a password over an encrypted connection.${said}`,
        'Choose SSL/TLS (port 465) or STARTTLS (port 587).',
      );
    }
    if (
      reply === 504 ||
      reply === 502 ||
      /Unknown authentication method|Unrecognized authentication/i.test(`${f.message} ${f.response ?? ''}`)
    ) {
      return make(
        'AUTH_UNAVAILABLE',
        `${server} does not accept the sign-in method Mailroom tried.${said}`,
        'Check the authentication setting for this account with your provider.',
      );
    }
    const provider = providerFor(context.host, f.response);
    if (provider) details.provider = provider;
    if (context.authMethod === 'oauth2') {
      return make(
        'AUTH_FAILED',
        `${context.host} refused the OAuth2 sign-in (XOAUTH2) for this account.${said}`,
        context.purpose === 'verify'
          ? 'The provider did not accept the token from this sign-in (it may have been revoked, or lack permission to send mail): sign in with your provider again, then check again.'
          : 'The provider no longer accepts this sign-in (it may have been revoked, or lack permission to send mail): open Accounts and choose “Sign in again” for this account.',
      );
    }
    return make(
      'AUTH_FAILED',
      `${context.host} did not accept the user name and password.${said}`,
      authHint(provider, enhanced),
    );
  }

  if (command.startsWith('MAIL FROM')) {
    if (reply === 552 || /size/i.test(f.response ?? '')) {
      return make(
        'MESSAGE_TOO_LARGE',
        `${server} refused the message because it is too large.${said}`,
        'Remove or shrink attachments, or share large files with a link instead.',
      );
    }
    return make(
      'SENDER_REJECTED',
      `${server} does not let this account send as that From address.${said}`,
      'Send from the address that belongs to this account, or add the address as an alias with your provider first.',
    );
  }
  if (command.startsWith('RCPT TO')) {
    if (reply === 552 && /size/i.test(f.response ?? '')) {
      return make(
        'MESSAGE_TOO_LARGE',
        `${server} refused the message because it is too large.${said}`,
        'Remove or shrink attachments, or share large files with a link instead.',
      );
    }
    return make(
      'RECIPIENT_REJECTED',
      `${server} refused the recipient address.${said}`,
      "Check the recipient's address for typos. If it is right, the recipient's mailbox may not exist or may refuse mail.",
    );
  }
  if (
    /Message size larger than allowed|too large|exceeds .*size/i.test(`${f.message} ${f.response ?? ''}`) ||
    reply === 552
  ) {
    return make(
      'MESSAGE_TOO_LARGE',
      `The message is larger than ${context.host} accepts.${said}`,
      'Remove or shrink attachments, or share large files with a link instead.',
    );
  }
  if (f.code === 'EENVELOPE') {
    if (/recipient/i.test(f.message)) {
      return make(
        'RECIPIENT_REJECTED',
        `${server} refused every recipient.${said}`,
        "Check the recipients' addresses for typos.",
      );
    }
    return make(
      'SENDER_REJECTED',
      `${server} refused the envelope sender.${said}`,
      'Send from the address that belongs to this account.',
    );
  }
  if (f.code === 'EMESSAGE' || command === 'DATA' || command === '.') {
    if (reply && reply >= 500) {
      return make(
        'MESSAGE_REJECTED',
        `${server} refused the message.${said}`,
        "The server's reply says why (often: looks like spam, or a policy on content or attachments). Change the message, or ask the provider.",
      );
    }
  }

  if (f.code === 'EPROTOCOL') {
    return make(
      'PROTOCOL_ERROR',
      `${server} answered with something that is not valid SMTP${f.response ? `: "${f.response.trim().slice(0, 200)}"` : ''}.`,
      'Check that the port belongs to a mail server (465, 587 or 25). If it does, the server is misbehaving: tell its administrator.',
    );
  }
  if (f.code === 'ECONNECTION' || f.systemCode === 'ECONNRESET' || f.systemCode === 'EPIPE') {
    return make(
      'PROTOCOL_ERROR',
      `${server} closed the connection unexpectedly${command && command !== 'CONN' ? ` after ${command}` : ''}.${said}`,
      'The server may be refusing this computer, or may be overloaded. Try again later; if it persists, tell the mail provider.',
    );
  }
  if (reply !== undefined && reply >= 500) {
    return make(
      'PROTOCOL_ERROR',
      `${server} refused a command${command ? ` (${command})` : ''}.${said}`,
      'Tell the mail provider or administrator what the server said.',
    );
  }
  if (f.code === 'ESOCKET') {
    return make(
      'NETWORK_ERROR',
      `The connection to ${server} failed: ${f.message}`,
      'Check that this computer is online, then try again.',
    );
  }
  return make(
    'INTERNAL',
    `Something unexpected went wrong talking to ${server}: ${f.message}`,
    'Try again. If it keeps happening, report it with the transcript from the verification details.',
  );
}
