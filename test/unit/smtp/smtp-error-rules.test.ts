import { describe, expect, it } from 'vitest';
import {
  classifySmtpError,
  ruleFor,
  type SmtpErrorContext,
} from '../../../electron/core/smtp/smtp-error-classify';
import { ERROR_RULES } from '../../../electron/core/smtp/smtp-error-rules';

// Every rule of the classifier with a failure it must explain, in the shape nodemailer and Node give
// it (code, originalCode, response, responseCode, command, timeoutType). A rule nothing reaches, or a
// sample that another rule catches first, fails here.

const ctx = (patch: Partial<SmtpErrorContext> = {}): SmtpErrorContext => ({
  host: 'smtp.example.org',
  port: 587,
  security: 'starttls',
  ...patch,
});
const err = (message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), fields);
const reply = (command: string, response: string, code = 'EENVELOPE') =>
  err(`Reply: ${response}`, { code, command, response, responseCode: Number(response.slice(0, 3)) });

const samples: [rule: string, error: unknown, context: SmtpErrorContext, code: string][] = [
  ['cancelled', err('aborted', { name: 'AbortError' }), ctx(), 'CANCELLED'],
  [
    'dns-no-answer',
    err('getaddrinfo EAI_AGAIN', { code: 'EDNS', originalCode: 'EAI_AGAIN' }),
    ctx(),
    'DNS_NOT_FOUND',
  ],
  ['dns-no-such-name', err('getaddrinfo ENOTFOUND', { code: 'ENOTFOUND' }), ctx(), 'DNS_NOT_FOUND'],
  [
    'attachment-missing',
    err("ENOENT: no such file, open '/x.pdf'", { code: 'ESTREAM', originalCode: 'ENOENT' }),
    ctx(),
    'FILE_NOT_FOUND',
  ],
  ['attachment-not-local', err('File access rejected', { code: 'EFILEACCESS' }), ctx(), 'INVALID_REQUEST'],
  [
    'plain-greeting-on-465',
    err('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }),
    ctx({ port: 465 }),
    'TLS_WRONG_MODE',
  ],
  [
    'greeting-timeout',
    err('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }),
    ctx(),
    'GREETING_TIMEOUT',
  ],
  [
    'upgrade-timeout',
    err('Upgrade timeout', { code: 'ETIMEDOUT', timeoutType: 'UPGRADE_TIMEOUT' }),
    ctx(),
    'TLS_HANDSHAKE_FAILED',
  ],
  [
    'silent-mid-conversation',
    err('Timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }),
    ctx(),
    'NETWORK_ERROR',
  ],
  [
    'connect-timeout',
    err('Connection timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }),
    ctx(),
    'CONNECTION_TIMEOUT',
  ],
  [
    'refused-after-working',
    err('connect ECONNREFUSED 127.0.0.1:587', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }),
    ctx({ purpose: 'send', hasSentBefore: true }),
    'CONNECTION_REFUSED',
  ],
  [
    'refused',
    err('connect ECONNREFUSED 127.0.0.1:587', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }),
    ctx(),
    'CONNECTION_REFUSED',
  ],
  [
    'unreachable',
    err('connect EHOSTUNREACH', { code: 'ESOCKET', originalCode: 'EHOSTUNREACH' }),
    ctx(),
    'NETWORK_ERROR',
  ],
  [
    'starttls-later',
    reply('STARTTLS', '454 4.7.0 TLS not available due to temporary reason', 'EPROTOCOL'),
    ctx(),
    'SERVER_TEMPORARY',
  ],
  [
    'starttls-refused',
    reply('STARTTLS', '502 5.5.1 Unrecognized command', 'EPROTOCOL'),
    ctx(),
    'STARTTLS_UNAVAILABLE',
  ],
  [
    'certificate-expired',
    err('certificate has expired', { code: 'ESOCKET', originalCode: 'CERT_HAS_EXPIRED' }),
    ctx(),
    'TLS_CERT_EXPIRED',
  ],
  [
    'certificate-for-another-name',
    err("Hostname/IP does not match certificate's altnames", {
      code: 'ESOCKET',
      originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
    }),
    ctx(),
    'TLS_HOSTNAME_MISMATCH',
  ],
  [
    'certificate-untrusted',
    err('self-signed certificate', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    ctx(),
    'TLS_CERT_UNTRUSTED',
  ],
  [
    'encryption-starts-elsewhere',
    err('ssl3_get_record:wrong version number', {
      code: 'ESOCKET',
      originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER',
    }),
    ctx({ security: 'tls' }),
    'TLS_WRONG_MODE',
  ],
  [
    'handshake-failed',
    err('unsupported protocol', { code: 'ETLS', originalCode: 'ERR_SSL_UNSUPPORTED_PROTOCOL' }),
    ctx(),
    'TLS_HANDSHAKE_FAILED',
  ],
  ['temporary-reply', reply('RCPT TO', '451 4.3.0 Try again later'), ctx(), 'SERVER_TEMPORARY'],
  [
    'no-password',
    err('Missing credentials for "PLAIN"', { code: 'EAUTH', command: 'API' }),
    ctx(),
    'PASSWORD_MISSING',
  ],
  [
    'password-only-encrypted',
    reply('AUTH PLAIN', '538 5.7.11 Encryption required', 'EAUTH'),
    ctx(),
    'AUTH_REQUIRES_ENCRYPTION',
  ],
  [
    'sign-in-method-unknown',
    reply('AUTH CRAM-MD5', '504 5.5.4 Unrecognized authentication type', 'EAUTH'),
    ctx(),
    'AUTH_UNAVAILABLE',
  ],
  [
    'oauth2-sign-in-refused',
    reply('AUTH XOAUTH2', '535 5.7.3 Authentication unsuccessful', 'EAUTH'),
    ctx({ authMethod: 'oauth2' }),
    'AUTH_FAILED',
  ],
  [
    'smtp-auth-disabled',
    reply('AUTH LOGIN', '535 5.7.139 Authentication unsuccessful', 'EAUTH'),
    ctx(),
    'AUTH_FAILED',
  ],
  [
    'password-refused',
    reply('AUTH PLAIN', '535 5.7.8 Authentication credentials invalid', 'EAUTH'),
    ctx(),
    'AUTH_FAILED',
  ],
  [
    'sender-too-large',
    reply('MAIL FROM', '552 5.3.4 Message size exceeds fixed limit'),
    ctx(),
    'MESSAGE_TOO_LARGE',
  ],
  [
    'sender-refused',
    reply('MAIL FROM', '553 5.7.1 Sender address rejected: not owned by user'),
    ctx(),
    'SENDER_REJECTED',
  ],
  [
    'recipient-too-large',
    reply('RCPT TO', '552 5.2.2 Message size exceeds mailbox limit'),
    ctx(),
    'MESSAGE_TOO_LARGE',
  ],
  ['recipient-refused', reply('RCPT TO', '550 5.1.1 User unknown'), ctx(), 'RECIPIENT_REJECTED'],
  ['message-too-large', reply('DATA', '552 5.3.4 Message too big', 'EMESSAGE'), ctx(), 'MESSAGE_TOO_LARGE'],
  [
    'every-recipient-refused',
    err("Can't send mail - all recipients were rejected", { code: 'EENVELOPE' }),
    ctx(),
    'RECIPIENT_REJECTED',
  ],
  ['envelope-sender-refused', err('Mail command failed', { code: 'EENVELOPE' }), ctx(), 'SENDER_REJECTED'],
  [
    'content-refused',
    reply('DATA', '554 5.7.1 Message rejected as spam', 'EMESSAGE'),
    ctx(),
    'MESSAGE_REJECTED',
  ],
  [
    'not-smtp',
    err('Invalid greeting', { code: 'EPROTOCOL', response: 'HTTP/1.1 400 Bad Request' }),
    ctx(),
    'PROTOCOL_ERROR',
  ],
  [
    'hung-up',
    err('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }),
    ctx(),
    'PROTOCOL_ERROR',
  ],
  ['command-refused', reply('EHLO', '500 5.5.2 Syntax error', 'ECOMMAND'), ctx(), 'PROTOCOL_ERROR'],
  ['socket-failed', err('write after end', { code: 'ESOCKET' }), ctx(), 'NETWORK_ERROR'],
];

describe('the classifier rules', () => {
  it.each(samples)('%s explains its failure', (rule, error, context, code) => {
    expect(ruleFor(error, context)).toBe(rule);
    const explained = classifySmtpError(error, context);
    expect(explained.code).toBe(code);
    expect(explained.message.length).toBeGreaterThan(20);
    expect(explained.hint?.length).toBeGreaterThan(20);
  });

  it('has a sample for every rule, and a unique name for each', () => {
    const names = ERROR_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(samples.map(([rule]) => rule).sort()).toEqual([...names].sort());
  });

  it('blames the port for a refused connection only when these settings never worked', () => {
    const refused = err('connect ECONNREFUSED 127.0.0.1:587', {
      code: 'ESOCKET',
      originalCode: 'ECONNREFUSED',
    });
    const worked = classifySmtpError(refused, ctx({ purpose: 'send', hasSentBefore: true }));
    expect(worked.hint).toMatch(/server may be down or your network may be blocking it/);
    expect(worked.hint).not.toMatch(/port/i);
    expect(classifySmtpError(refused, ctx({ purpose: 'send' })).hint).toMatch(/Check the port number/);
  });

  it('says plainly when no rule knows the failure', () => {
    expect(ruleFor(err('boom', { code: 'EWHATEVER' }), ctx())).toBeUndefined();
    expect(classifySmtpError(err('boom', { code: 'EWHATEVER' }), ctx())).toMatchObject({ code: 'INTERNAL' });
  });
});
