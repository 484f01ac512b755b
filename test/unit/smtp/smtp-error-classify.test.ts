import { describe, expect, it } from 'vitest';
import { classifySmtpError, providerFor } from '../../../electron/core/smtp/smtp-error-classify';
import { ERROR_CODES } from '../../../shared/error-codes';

// Error objects here have the exact shape nodemailer produces (code/originalCode/response/responseCode/
// command); the integration tests produce each code from real connections. These pin the wording
// decisions that depend on the provider, which a local server cannot impersonate by host name.
const ctx = (host: string, port = 587) => ({ host, port, security: 'starttls' as const });
const authError = (response: string) =>
  Object.assign(new Error(`Invalid login: ${response}`), {
    code: 'EAUTH',
    response,
    responseCode: Number(response.slice(0, 3)),
    command: 'AUTH PLAIN',
  });

describe('classifySmtpError', () => {
  it('names the step of a 421 that ended the session: RCPT TO during a send, never "CONN"', () => {
    // What nodemailer hands over when a 421 answers RCPT TO (it records the recipient, then closes).
    const closing = () =>
      Object.assign(new Error('Server closed the connection: 421 4.7.0 Try again later'), {
        code: 'ECONNECTION',
        response: '421 4.7.0 Try again later',
        responseCode: 421,
        command: 'CONN',
      });
    const sending = classifySmtpError(closing(), { ...ctx('127.0.0.1'), purpose: 'send' });
    expect(sending.code).toBe('SERVER_TEMPORARY');
    expect(sending.message).toMatch(/reported a temporary problem \(at RCPT TO\)\./);
    expect(sending.details).toMatchObject({ command: 'RCPT TO' });
    const checking = classifySmtpError(closing(), { ...ctx('127.0.0.1'), purpose: 'verify' });
    expect(checking.message).toMatch(/reported a temporary problem and closed the connection\./);
    expect(checking.message).not.toMatch(/CONN/);
  });

  it('gives Gmail users the app-password / Google sign-in fix for 535 5.7.8', () => {
    const e = classifySmtpError(
      authError(
        '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1sm gsmtp',
      ),
      ctx('smtp.gmail.com'),
    );
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.hint).toMatch(/2-Step Verification/);
    expect(e.hint).toMatch(/app password/);
    expect(e.details).toMatchObject({ provider: 'gmail', enhancedStatus: '5.7.8' });
  });

  it('for an OAuth2 account, says the sign-in was refused and to sign in again (no password talk)', () => {
    const refused = Object.assign(authError('535 5.7.3 Authentication unsuccessful'), {
      command: 'AUTH XOAUTH2',
    });
    const sending = classifySmtpError(refused, {
      ...ctx('smtp.office365.com'),
      authMethod: 'oauth2' as const,
    });
    expect(sending.code).toBe('AUTH_FAILED');
    expect(sending.message).toMatch(/refused the OAuth2 sign-in/);
    expect(`${sending.message} ${sending.hint}`).not.toMatch(/password/i);
    expect(sending.hint).toMatch(/Sign in again/);
    const checking = classifySmtpError(refused, {
      ...ctx('smtp.office365.com'),
      authMethod: 'oauth2' as const,
      purpose: 'verify' as const,
    });
    expect(checking.hint).toMatch(/sign in with your provider again, then check again/);
  });

  it('tells Microsoft 365 users SMTP AUTH is off for the tenant (5.7.139 and 5.7.30)', () => {
    for (const reply of [
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
      '535 5.7.30 Basic authentication is not supported for Client Submission.',
    ]) {
      const e = classifySmtpError(authError(reply), ctx('smtp.office365.com'));
      expect(e.code).toBe('AUTH_FAILED');
      expect(e.hint).toMatch(/SMTP AUTH/);
      expect(e.hint).toMatch(/OAuth2/);
    }
  });

  it('asks iCloud and Yahoo users for an app-specific password', () => {
    expect(
      classifySmtpError(authError('535 5.7.8 Authentication failed'), ctx('smtp.mail.me.com')).hint,
    ).toMatch(/app-specific password/);
    expect(
      classifySmtpError(
        authError('535 5.7.0 (#AUTH005) Too many bad auth attempts.'),
        ctx('smtp.mail.yahoo.com'),
      ).hint,
    ).toMatch(/app password/);
  });

  it('recognises providers by host and by reply', () => {
    // From the provider data: the published host, a host in the provider's domains, a reply signature.
    expect(providerFor('smtp.gmail.com')?.id).toBe('gmail');
    expect(providerFor('mail.example.org', '535 5.7.8 ... gsmtp')?.id).toBe('gmail');
    expect(providerFor('smtp-mail.outlook.com')?.id).toBe('outlook-com');
    expect(providerFor('mail.contoso.example', '535 5.7.139 Authentication unsuccessful')?.id).toBe(
      'microsoft-365',
    );
    expect(providerFor('smtp.mail.yahoo.com')?.id).toBe('yahoo');
    expect(providerFor('mx.icloud.com')?.id).toBe('icloud');
    expect(providerFor('smtp.example.org')).toBeUndefined();
    // Whole labels only: a look-alike name is nobody's.
    expect(providerFor('smtp.notgmail.com')).toBeUndefined();
  });

  it('blames port 25 blocking for a connect timeout on port 25', () => {
    const timeout = Object.assign(new Error('Connection timeout'), {
      code: 'ETIMEDOUT',
      timeoutType: 'CONNECT_TIMEOUT',
    });
    expect(classifySmtpError(timeout, ctx('smtp.example.org', 25))).toMatchObject({
      code: 'CONNECTION_TIMEOUT',
      hint: expect.stringMatching(/port 25/),
    });
    expect(classifySmtpError(timeout, ctx('smtp.example.org', 587)).hint).toMatch(/firewall/);
  });

  it('only ever returns codes from the shared list, and never echoes a secret it was not given', () => {
    const samples: unknown[] = [
      new Error('boom'),
      'string error',
      null,
      { code: 'EWHATEVER' },
      authError('454 4.7.0 Temporary authentication failure'),
    ];
    for (const s of samples)
      expect(ERROR_CODES).toContain(classifySmtpError(s, ctx('smtp.example.org')).code);
    expect(
      classifySmtpError(authError('454 4.7.0 Temporary authentication failure'), ctx('x.example')).code,
    ).toBe('SERVER_TEMPORARY');
  });
});
