import type { ErrorCode } from '../../../shared/error-codes';
import type { Provider } from '../../../shared/providers';
import type { SmtpErrorContext } from './smtp-error-classify';
import type { ErrorFacts } from './smtp-error-facts';

/** Everything a rule may look at, read off the error and its context once. */
export interface Situation {
  f: ErrorFacts;
  context: SmtpErrorContext;
  /** The SMTP command the failure answered (upper case), or ''. */
  command: string;
  reply: number | undefined;
  enhanced: string | undefined;
  /** The TLS failure the error shows, if any (see tlsCodeOf). */
  tls: ErrorCode | undefined;
  /** host:port, for the words. */
  server: string;
  /** ' The server said: "…".' or ''. */
  said: string;
  provider: Provider | undefined;
}

export interface Explanation {
  code: ErrorCode;
  message: string;
  hint: string;
  details?: Record<string, unknown>;
}

/** One way an SMTP failure happens: when it applies, and what the user is told. */
export interface ErrorRule {
  name: string;
  when: (s: Situation) => boolean;
  explain: (s: Situation) => Explanation;
}

const is = (code: string | undefined, ...codes: string[]) => code !== undefined && codes.includes(code);
const explain = (code: ErrorCode, message: string, hint: string): Explanation => ({ code, message, hint });
const tooLarge = (
  s: Situation,
  message = `${s.server} refused the message because it is too large.${s.said}`,
) =>
  explain(
    'MESSAGE_TOO_LARGE',
    message,
    'Remove or shrink attachments, or share large files with a link instead.',
  );
/** TLS rules apply to connection-level errors, not to replies the server gave in plain SMTP. */
const connectionLevel = ({ f }: Situation) =>
  f.code === 'ETLS' ||
  f.code === 'ESOCKET' ||
  f.code === 'ECONNECTION' ||
  !f.code ||
  f.systemCode !== undefined;
const signingIn = ({ f, command }: Situation) =>
  f.code === 'EAUTH' || f.code === 'ENOAUTH' || command.startsWith('AUTH');

/** The sign-in advice for a provider that refuses normal passwords: its own notes say what to do. */
function passwordHint(s: Situation): string {
  const note = s.provider?.auth.kind === 'app-password-required' ? s.provider.notes[0] : undefined;
  return (
    note ??
    'Check the user name (often your full email address) and the password. Some providers require an app-specific password when two-step verification is on.'
  );
}

/**
 * The classifier, as data: the first rule that applies explains the failure. Order matters where
 * situations overlap (a cancelled attempt before anything else; a temporary reply before sign-in).
 */
export const ERROR_RULES: readonly ErrorRule[] = [
  {
    name: 'cancelled',
    when: ({ f }) => f.name === 'AbortError' || is(f.code, 'EABORT', 'ABORT_ERR'),
    explain: () =>
      explain(
        'CANCELLED',
        'The operation was cancelled before it finished.',
        'Start it again when you are ready.',
      ),
  },
  {
    name: 'dns-no-answer',
    when: ({ f }) => f.systemCode === 'EAI_AGAIN',
    explain: ({ context }) =>
      explain(
        'DNS_NOT_FOUND',
        `The name ${context.host} could not be looked up: no DNS server answered.`,
        'Check that this computer is online, then try again.',
      ),
  },
  {
    name: 'dns-no-such-name',
    when: ({ f }) => f.code === 'EDNS' || is(f.systemCode, 'ENOTFOUND', 'ENODATA', 'EAI_NONAME'),
    explain: ({ context }) =>
      explain(
        'DNS_NOT_FOUND',
        `The server name ${context.host} does not exist (DNS has no address for it).`,
        "Check the spelling of the outgoing server name; your provider's help pages list it (for example smtp.gmail.com).",
      ),
  },
  {
    name: 'attachment-missing',
    when: ({ f }) => f.systemCode === 'ENOENT' && (f.code === 'ESTREAM' || !f.command || f.command === 'API'),
    explain: ({ f }) =>
      explain(
        'FILE_NOT_FOUND',
        `A file could not be found: ${f.message}`,
        'Attach the file again; it may have been moved or deleted.',
      ),
  },
  {
    name: 'attachment-not-local',
    when: ({ f }) => is(f.code, 'EFILEACCESS', 'EURLACCESS'),
    explain: () =>
      explain(
        'INVALID_REQUEST',
        'An attachment pointed somewhere Mailroom does not read from.',
        'Attach files from this computer only.',
      ),
  },
  {
    name: 'plain-greeting-on-465',
    when: ({ f, context }) =>
      timedOut(f, 'GREETING_TIMEOUT') && context.security !== 'tls' && context.port === 465,
    explain: ({ server }) =>
      explain(
        'TLS_WRONG_MODE',
        `${server} did not greet a plain connection: port 465 expects encryption from the first byte.`,
        'Choose SSL/TLS for port 465, or STARTTLS with port 587.',
      ),
  },
  {
    name: 'greeting-timeout',
    when: ({ f }) => timedOut(f, 'GREETING_TIMEOUT'),
    explain: ({ server, context }) =>
      explain(
        'GREETING_TIMEOUT',
        `${server} accepted the connection but never sent its welcome message.`,
        context.security !== 'tls'
          ? 'The port may expect SSL/TLS from the start (try SSL/TLS), or the server is overloaded. Check the port and security settings.'
          : 'The server may be overloaded, or something on the network is intercepting mail traffic. Try again later or try another port.',
      ),
  },
  {
    name: 'upgrade-timeout',
    when: ({ f }) => timedOut(f, 'UPGRADE_TIMEOUT'),
    explain: ({ server }) =>
      explain(
        'TLS_HANDSHAKE_FAILED',
        `The encryption handshake with ${server} did not finish in time.`,
        'Try again; if it keeps happening, try the other security option (SSL/TLS on 465 or STARTTLS on 587).',
      ),
  },
  {
    name: 'silent-mid-conversation',
    when: ({ f }) => timedOut(f, 'SOCKET_TIMEOUT'),
    explain: ({ server }) =>
      explain(
        'NETWORK_ERROR',
        `${server} stopped responding in the middle of the conversation.`,
        'Try again. If it keeps happening, the server or your connection is having trouble.',
      ),
  },
  {
    name: 'connect-timeout',
    when: ({ f }) => timedOut(f),
    explain: ({ server, context }) =>
      explain(
        'CONNECTION_TIMEOUT',
        `Could not connect to ${server}: there was no answer at all.`,
        context.port === 25
          ? 'Many internet providers block port 25 for home connections. Use port 587 (STARTTLS) or 465 (SSL/TLS) instead.'
          : 'A firewall or your network is probably blocking this port. Check the port number, try another network, or try 465 or 587.',
      ),
  },
  {
    name: 'refused-after-working',
    when: ({ f, context }) => f.systemCode === 'ECONNREFUSED' && context.hasSentBefore === true,
    explain: ({ server }) =>
      explain(
        'CONNECTION_REFUSED',
        `${server} refused the connection, although this account has sent mail through it before.`,
        'The settings worked, so the server may be down or your network may be blocking it. Check your connection, or try another network.',
      ),
  },
  {
    name: 'refused',
    when: ({ f }) => f.systemCode === 'ECONNREFUSED',
    explain: ({ server, context }) =>
      explain(
        'CONNECTION_REFUSED',
        `${server} refused the connection: nothing is accepting mail on port ${context.port}.`,
        'Check the port number. Submission is usually 465 (SSL/TLS) or 587 (STARTTLS).',
      ),
  },
  {
    name: 'unreachable',
    when: ({ f }) => is(f.systemCode, 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN'),
    explain: ({ server }) =>
      explain(
        'NETWORK_ERROR',
        `${server} cannot be reached from this network.`,
        'Check that this computer is online, then try again.',
      ),
  },
  {
    name: 'starttls-later',
    when: ({ command, reply }) =>
      command === 'STARTTLS' && reply !== undefined && reply >= 400 && reply < 500,
    explain: ({ server, said }) =>
      explain(
        'SERVER_TEMPORARY',
        `${server} could not start encryption right now.${said}`,
        'Try again in a few minutes.',
      ),
  },
  {
    name: 'starttls-refused',
    when: ({ command, reply }) => command === 'STARTTLS' && reply !== undefined && reply > 0,
    explain: ({ server, said, context }) =>
      explain(
        'STARTTLS_UNAVAILABLE',
        `${server} does not offer STARTTLS, so the connection cannot be encrypted and Mailroom stopped before sending anything.${said}`,
        context.port === 587 || context.port === 25
          ? 'Try SSL/TLS on port 465. Do not switch to an unencrypted connection unless this server is on a network you trust.'
          : 'Check the port: STARTTLS is normally used on port 587.',
      ),
  },
  {
    name: 'certificate-expired',
    when: (s) => connectionLevel(s) && s.tls === 'TLS_CERT_EXPIRED',
    explain: ({ context }) =>
      explain(
        'TLS_CERT_EXPIRED',
        `The security certificate of ${context.host} has expired (or is not valid yet), so the connection is not safe to use.`,
        "Check that this computer's date and time are right. If they are, the server's certificate must be renewed: tell the mail provider or administrator.",
      ),
  },
  {
    name: 'certificate-for-another-name',
    when: (s) => connectionLevel(s) && s.tls === 'TLS_HOSTNAME_MISMATCH',
    explain: ({ server, context }) =>
      explain(
        'TLS_HOSTNAME_MISMATCH',
        `The security certificate presented by ${server} is for a different server name, so Mailroom cannot be sure it is talking to ${context.host}.`,
        "Use the exact server name from your provider's instructions (the certificate shows which names it covers).",
      ),
  },
  {
    name: 'certificate-untrusted',
    when: (s) => connectionLevel(s) && s.tls === 'TLS_CERT_UNTRUSTED',
    explain: ({ context }) =>
      explain(
        'TLS_CERT_UNTRUSTED',
        `The security certificate of ${context.host} is not signed by an authority this computer trusts (it may be self-signed or from a private authority).`,
        "If this is your own or your organisation's server, compare the certificate fingerprint with the one your administrator gives you and trust it for this account only. Otherwise do not continue.",
      ),
  },
  {
    name: 'encryption-starts-elsewhere',
    when: (s) => connectionLevel(s) && s.tls === 'TLS_WRONG_MODE',
    explain: ({ server, context }) =>
      context.security === 'tls'
        ? explain(
            'TLS_WRONG_MODE',
            `${server} does not use SSL/TLS from the first byte (it answered in plain text; it probably expects STARTTLS).`,
            'Choose STARTTLS for this port (usually 587), or use SSL/TLS with port 465.',
          )
        : explain(
            'TLS_WRONG_MODE',
            `${server} and Mailroom disagree about when encryption starts.`,
            'Choose SSL/TLS for port 465, or STARTTLS with port 587.',
          ),
  },
  {
    name: 'handshake-failed',
    when: (s) =>
      connectionLevel(s) &&
      ((s.tls === 'TLS_HANDSHAKE_FAILED' && s.f.systemCode !== undefined) || s.f.code === 'ETLS'),
    explain: ({ server, f }) =>
      explain(
        'TLS_HANDSHAKE_FAILED',
        `An encrypted connection to ${server} could not be set up: ${f.message}`,
        'The server may only support outdated encryption (older than TLS 1.2). Ask the provider, or try the other security option.',
      ),
  },
  {
    name: 'temporary-reply',
    when: ({ reply }) => reply !== undefined && reply >= 400 && reply < 500,
    explain: ({ server, command, said }) =>
      explain(
        'SERVER_TEMPORARY',
        `${server} reported a temporary problem${command === 'CONN' ? ' and closed the connection' : command ? ` (at ${command})` : ''}.${said}`,
        'Nothing is wrong with your settings. Try again in a few minutes; the outbox retries automatically.',
      ),
  },
  {
    name: 'no-password',
    when: (s) => signingIn(s) && !s.reply && /Missing credentials/i.test(s.f.message),
    explain: () =>
      explain(
        'PASSWORD_MISSING',
        'No password is saved for this account, so Mailroom could not sign in.',
        'Enter the password in the account settings.',
      ),
  },
  {
    name: 'password-only-encrypted',
    when: (s) =>
      signingIn(s) &&
      (s.reply === 538 || (s.reply === 530 && /starttls|tls|encrypt/i.test(s.f.response ?? ''))),
    explain: ({ server, said }) =>
      explain(
        'AUTH_REQUIRES_ENCRYPTION',
        `${server} only accepts a password over an encrypted connection.${said}`,
        'Choose SSL/TLS (port 465) or STARTTLS (port 587).',
      ),
  },
  {
    name: 'sign-in-method-unknown',
    when: (s) =>
      signingIn(s) &&
      (s.reply === 504 ||
        s.reply === 502 ||
        /Unknown authentication method|Unrecognized authentication/i.test(
          `${s.f.message} ${s.f.response ?? ''}`,
        )),
    explain: ({ server, said }) =>
      explain(
        'AUTH_UNAVAILABLE',
        `${server} does not accept the sign-in method Mailroom tried.${said}`,
        'Check the authentication setting for this account with your provider.',
      ),
  },
  {
    name: 'oauth2-sign-in-refused',
    when: (s) => signingIn(s) && s.context.authMethod === 'oauth2',
    explain: ({ context, said }) =>
      explain(
        'AUTH_FAILED',
        `${context.host} refused the OAuth2 sign-in (XOAUTH2) for this account.${said}`,
        context.purpose === 'verify'
          ? 'The provider did not accept the token from this sign-in (it may have been revoked, or lack permission to send mail): sign in with your provider again, then check again.'
          : 'The provider no longer accepts this sign-in (it may have been revoked, or lack permission to send mail): open Accounts and choose “Sign in again” for this account.',
      ),
  },
  {
    // Exchange Online answers 5.7.139 / 5.7.30 when password sign-in is turned off for the mailbox.
    name: 'smtp-auth-disabled',
    when: (s) => signingIn(s) && (s.enhanced === '5.7.139' || s.enhanced === '5.7.30'),
    explain: ({ context, said }) =>
      explain(
        'AUTH_FAILED',
        `${context.host} did not accept the user name and password.${said}`,
        'Microsoft 365 has password sign-in (SMTP AUTH) turned off for your organisation or mailbox. Ask your administrator to enable "Authenticated SMTP" for this mailbox, or sign in with Microsoft (OAuth2) instead.',
      ),
  },
  {
    name: 'password-refused',
    when: signingIn,
    explain: (s) =>
      explain(
        'AUTH_FAILED',
        `${s.context.host} did not accept the user name and password.${s.said}`,
        passwordHint(s),
      ),
  },
  {
    name: 'sender-too-large',
    when: ({ command, reply, f }) =>
      command.startsWith('MAIL FROM') && (reply === 552 || /size/i.test(f.response ?? '')),
    explain: (s) => tooLarge(s),
  },
  {
    name: 'sender-refused',
    when: ({ command }) => command.startsWith('MAIL FROM'),
    explain: ({ server, said }) =>
      explain(
        'SENDER_REJECTED',
        `${server} does not let this account send as that From address.${said}`,
        'Send from the address that belongs to this account, or add the address as an alias with your provider first.',
      ),
  },
  {
    name: 'recipient-too-large',
    when: ({ command, reply, f }) =>
      command.startsWith('RCPT TO') && reply === 552 && /size/i.test(f.response ?? ''),
    explain: (s) => tooLarge(s),
  },
  {
    name: 'recipient-refused',
    when: ({ command }) => command.startsWith('RCPT TO'),
    explain: ({ server, said }) =>
      explain(
        'RECIPIENT_REJECTED',
        `${server} refused the recipient address.${said}`,
        "Check the recipient's address for typos. If it is right, the recipient's mailbox may not exist or may refuse mail.",
      ),
  },
  {
    name: 'message-too-large',
    when: ({ f, reply }) =>
      reply === 552 ||
      /Message size larger than allowed|too large|exceeds .*size/i.test(`${f.message} ${f.response ?? ''}`),
    explain: (s) => tooLarge(s, `The message is larger than ${s.context.host} accepts.${s.said}`),
  },
  {
    name: 'every-recipient-refused',
    when: ({ f }) => f.code === 'EENVELOPE' && /recipient/i.test(f.message),
    explain: ({ server, said }) =>
      explain(
        'RECIPIENT_REJECTED',
        `${server} refused every recipient.${said}`,
        "Check the recipients' addresses for typos.",
      ),
  },
  {
    name: 'envelope-sender-refused',
    when: ({ f }) => f.code === 'EENVELOPE',
    explain: ({ server, said }) =>
      explain(
        'SENDER_REJECTED',
        `${server} refused the envelope sender.${said}`,
        'Send from the address that belongs to this account.',
      ),
  },
  {
    name: 'content-refused',
    when: ({ f, command, reply }) =>
      (f.code === 'EMESSAGE' || command === 'DATA' || command === '.') && reply !== undefined && reply >= 500,
    explain: ({ server, said }) =>
      explain(
        'MESSAGE_REJECTED',
        `${server} refused the message.${said}`,
        "The server's reply says why (often: looks like spam, or a policy on content or attachments). Change the message, or ask the provider.",
      ),
  },
  {
    name: 'not-smtp',
    when: ({ f }) => f.code === 'EPROTOCOL',
    explain: ({ server, f }) =>
      explain(
        'PROTOCOL_ERROR',
        `${server} answered with something that is not valid SMTP${f.response ? `: "${f.response.trim().slice(0, 200)}"` : ''}.`,
        'Check that the port belongs to a mail server (465, 587 or 25). If it does, the server is misbehaving: tell its administrator.',
      ),
  },
  {
    name: 'hung-up',
    when: ({ f }) => f.code === 'ECONNECTION' || is(f.systemCode, 'ECONNRESET', 'EPIPE'),
    explain: ({ server, command, said }) =>
      explain(
        'PROTOCOL_ERROR',
        `${server} closed the connection unexpectedly${command && command !== 'CONN' ? ` after ${command}` : ''}.${said}`,
        'The server may be refusing this computer, or may be overloaded. Try again later; if it persists, tell the mail provider.',
      ),
  },
  {
    name: 'command-refused',
    when: ({ reply }) => reply !== undefined && reply >= 500,
    explain: ({ server, command, said }) =>
      explain(
        'PROTOCOL_ERROR',
        `${server} refused a command${command ? ` (${command})` : ''}.${said}`,
        'Tell the mail provider or administrator what the server said.',
      ),
  },
  {
    name: 'socket-failed',
    when: ({ f }) => f.code === 'ESOCKET',
    explain: ({ server, f }) =>
      explain(
        'NETWORK_ERROR',
        `The connection to ${server} failed: ${f.message}`,
        'Check that this computer is online, then try again.',
      ),
  },
];

/** nodemailer tags which phase ran out of time; a bare ETIMEDOUT is the connect. */
function timedOut(f: ErrorFacts, phase?: string): boolean {
  if (f.code !== 'ETIMEDOUT' && f.systemCode !== 'ETIMEDOUT') return false;
  if (phase) return f.timeoutType === phase;
  return !is(f.timeoutType, 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'SOCKET_TIMEOUT');
}

/** When no rule knows the failure: said plainly, with the way to report it. */
export function unexplained({ server, f }: Situation): Explanation {
  return explain(
    'INTERNAL',
    `Something unexpected went wrong talking to ${server}: ${f.message}`,
    'Try again. If it keeps happening, report it with the transcript from the verification details.',
  );
}
