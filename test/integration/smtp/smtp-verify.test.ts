import { afterAll, describe, expect, it } from 'vitest';
import { VerifyReportSchema, type VerifyStep } from '../../../shared/domain/verification';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { verifySmtpSettings } from '../../../electron/core/smtp/smtp-verify';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { startBlackholeListener, startRawTcpServer, type RawServer } from '../../harness/raw-tcp-server';

const PASSWORD = 'correct horse';
const certs = makeTestCertificates();
const running: Array<{ stop(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});
async function server(options: Parameters<typeof startSmtpServer>[0]): Promise<TestSmtpServer> {
  const s = await startSmtpServer(options);
  running.push(s);
  return s;
}
async function raw(start: () => Promise<RawServer>): Promise<RawServer> {
  const s = await start();
  running.push(s);
  return s;
}

function settings(port: number, patch: Partial<SmtpSettings> = {}): SmtpSettings {
  return {
    host: 'localhost',
    port,
    security: 'starttls',
    authMethod: 'password',
    username: 'user@example.test',
    allowUnencrypted: false,
    caFile: certs.caFile,
    ...patch,
  };
}

async function check(s: SmtpSettings, password: string | undefined = PASSWORD, timeoutMs = 3_000) {
  const events: VerifyStep[] = [];
  const report = await verifySmtpSettings(s, { password, timeoutMs, onStep: (step) => events.push(step) });
  // Whatever happens, the report crosses IPC: it must match the contract, and never carry the password.
  expect(() => VerifyReportSchema.parse(report)).not.toThrow();
  expect(JSON.stringify(report)).not.toContain(PASSWORD);
  expect(JSON.stringify(report)).not.toContain(
    Buffer.from(`\0user@example.test\0${PASSWORD}`).toString('base64'),
  );
  return { report, events };
}
const stepStatus = (steps: VerifyStep[]) => Object.fromEntries(steps.map((s) => [s.name, s.status]));

describe('verifySmtpSettings against working servers', () => {
  it('walks a STARTTLS server with a private CA step by step and signs in', async () => {
    const s = await server({ certificate: certs.localhost, size: 10 * 1024 * 1024 });
    const { report, events } = await check(settings(s.port));
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(stepStatus(report.steps)).toEqual({
      dns: 'passed',
      connect: 'passed',
      greeting: 'passed',
      ehlo: 'passed',
      starttls: 'passed',
      certificate: 'passed',
      auth: 'passed',
    });
    expect(report.addresses[0]).toBe('127.0.0.1');
    expect(report.banner).toMatch(/^220 .*Mailroom test server/);
    expect(report.capabilities).toMatchObject({
      encrypted: true,
      pipelining: true,
      eightBitMime: true,
      smtpUtf8: true,
      authMechanisms: ['PLAIN', 'LOGIN'],
      size: { advertised: true, limitBytes: 10 * 1024 * 1024 },
    });
    expect(report.tls?.mode).toBe('starttls');
    expect(report.tls?.version).toMatch(/^TLSv1\.[23]$/);
    expect(report.certificate).toMatchObject({
      chainTrusted: true,
      hostnameMatches: true,
      selfSigned: false,
      expired: false,
    });
    expect(report.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(report.certificate?.pem).toBeUndefined();
    expect(report.auth).toMatchObject({ attempted: true, ok: true, mechanism: 'PLAIN' });
    expect(report.summary.join(' ')).toContain('Accepts messages up to 10 MB');
    expect(s.logins).toEqual(['PLAIN user@example.test']);
    // Live progress: every step went running -> passed, in order.
    const passedOrder = events.filter((e) => e.status === 'passed').map((e) => e.name);
    expect(passedOrder).toEqual([
      'dns',
      'connect',
      'greeting',
      'ehlo',
      'starttls',
      'certificate',
      'ehlo',
      'auth',
    ]);
    expect(events.filter((e) => e.status === 'running').map((e) => e.name)).toContain('auth');
    expect(report.steps.every((step) => typeof step.ms === 'number')).toBe(true);
    // Transcript: the conversation is there, the credentials are not.
    expect(report.transcript).toContain('C: STARTTLS');
    expect(report.transcript).toContain('C: AUTH PLAIN [redacted]');
    expect(report.transcript.some((l) => /^C: (MAIL|RCPT)/.test(l))).toBe(false);
  });

  it('redacts the AUTH LOGIN exchange in the transcript', async () => {
    // Only LOGIN on offer: the user name and password go as separate base64 lines after 334s.
    const s = await server({ certificate: certs.localhost, authMethods: ['LOGIN'] });
    const { report } = await check(settings(s.port));
    expect(report.ok).toBe(true);
    expect(report.auth?.mechanism).toBe('LOGIN');
    const auth = report.transcript.indexOf('C: AUTH LOGIN');
    expect(report.transcript.slice(auth, auth + 6)).toEqual([
      'C: AUTH LOGIN',
      'S: 334 [redacted]',
      'C: [redacted]',
      'S: 334 [redacted]',
      'C: [redacted]',
      'S: 235 Authentication successful',
    ]);
    expect(report.transcript.join('\n')).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(report.transcript.join('\n')).not.toContain(Buffer.from('user@example.test').toString('base64'));
  });

  it('verifies implicit TLS with a self-signed certificate the user pinned, without turning validation off', async () => {
    const s = await server({ secure: true, certificate: certs.selfSigned });
    const first = await check(settings(s.port, { security: 'tls', caFile: undefined }));
    expect(first.report.error?.code).toBe('TLS_CERT_UNTRUSTED');
    const offered = first.report.certificate;
    expect(offered).toMatchObject({
      selfSigned: true,
      chainTrusted: false,
      hostnameMatches: true,
      pinned: false,
    });
    expect(offered?.pem).toContain('BEGIN CERTIFICATE');
    expect(first.report.error?.details?.certificate).toBeDefined();
    expect(stepStatus(first.report.steps)).toMatchObject({
      tls: 'failed',
      certificate: 'failed',
      greeting: 'skipped',
      auth: 'skipped',
    });
    expect(s.logins).toEqual([]);

    // The user compares the fingerprint and trusts it for this account.
    const { report } = await check(
      settings(s.port, {
        security: 'tls',
        caFile: undefined,
        trustedFingerprint: offered?.fingerprint256,
        trustedCertificatePem: offered?.pem,
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.certificate).toMatchObject({ pinned: true, chainTrusted: true });
    expect(report.tls?.mode).toBe('implicit');
    expect(s.logins).toEqual(['PLAIN user@example.test']);
  });

  it('pins a certificate issued by a private CA the system does not trust, for that server only', async () => {
    // The private-CA case a wizard user meets: the certificate names the server but its issuer is unknown.
    const s = await server({ certificate: certs.localhost });
    const first = await check(settings(s.port, { caFile: undefined }));
    expect(first.report.error?.code).toBe('TLS_CERT_UNTRUSTED');
    const offered = first.report.certificate;
    expect(offered).toMatchObject({ selfSigned: false, chainTrusted: false, pinned: false });
    const { report } = await check(
      settings(s.port, {
        caFile: undefined,
        trustedFingerprint: offered?.fingerprint256,
        trustedCertificatePem: offered?.pem,
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.certificate).toMatchObject({ pinned: true });
    // The pin is this certificate, not its CA: another server with a sibling certificate stays untrusted.
    const sibling = await server({ certificate: certs.wrongHost });
    const other = await check(
      settings(sibling.port, {
        caFile: undefined,
        trustedFingerprint: offered?.fingerprint256,
        trustedCertificatePem: offered?.pem,
      }),
    );
    expect(other.report.ok).toBe(false);
    expect(other.report.error?.code).toMatch(/TLS_CERT_UNTRUSTED|TLS_HOSTNAME_MISMATCH/);
  });

  it('waits out a slow greeting and reports how long it took', async () => {
    const s = await server({ certificate: certs.localhost, greetingDelayMs: 400 });
    const { report } = await check(settings(s.port));
    expect(report.ok).toBe(true);
    expect(report.steps.find((step) => step.name === 'greeting')?.ms).toBeGreaterThanOrEqual(350);
  });

  it('finds the port itself when none is given, preferring implicit TLS (RFC 8314)', async () => {
    const implicit = await server({ secure: true, certificate: certs.localhost });
    const starttls = await server({ certificate: certs.localhost });
    const closed = await raw(() => startRawTcpServer('never-answers'));
    await closed.stop();
    const { report } = await (async () => {
      const events: VerifyStep[] = [];
      const r = await verifySmtpSettings(
        {
          host: 'localhost',
          security: 'starttls',
          authMethod: 'password',
          username: 'user@example.test',
          allowUnencrypted: false,
          caFile: certs.caFile,
        },
        {
          password: PASSWORD,
          timeoutMs: 3_000,
          onStep: (e) => events.push(e),
          probeCandidates: [
            { port: implicit.port, security: 'tls' },
            { port: starttls.port, security: 'starttls' },
            { port: closed.port, security: 'starttls' },
          ],
        },
      );
      return { report: r, events };
    })();
    expect(report.ok).toBe(true);
    expect(report.port).toBe(implicit.port);
    expect(report.security).toBe('tls');
    expect(report.steps[0]).toMatchObject({ name: 'probe', status: 'passed' });
    expect(report.probe?.results.find((r) => r.port === closed.port)?.error?.code).toBe('CONNECTION_REFUSED');
    expect(report.probe?.results.find((r) => r.port === starttls.port)?.ok).toBe(true);
  });
});

describe('verifySmtpSettings explains every failure with a stable code and a hint', () => {
  const expectFailure = (report: Awaited<ReturnType<typeof check>>['report'], code: string, step: string) => {
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe(code);
    expect(report.error?.message.length).toBeGreaterThan(20);
    expect(report.error?.hint?.length).toBeGreaterThan(20);
    expect(report.steps.find((s) => s.name === step)).toMatchObject({ status: 'failed', code });
    expect(report.steps.some((s) => s.status === 'pending' || s.status === 'running')).toBe(false);
  };

  it('DNS_NOT_FOUND for a name that cannot exist (.invalid, RFC 6761)', async () => {
    const { report } = await check(settings(587, { host: 'no-such-server.invalid' }));
    expectFailure(report, 'DNS_NOT_FOUND', 'dns');
    expect(report.error?.message).toContain('no-such-server.invalid');
  });

  it('CONNECTION_REFUSED when nothing listens on the port', async () => {
    const gone = await startRawTcpServer('never-answers');
    await gone.stop();
    const { report } = await check(settings(gone.port));
    expectFailure(report, 'CONNECTION_REFUSED', 'connect');
  });

  it('CONNECTION_TIMEOUT when the connection is never answered (SYNs dropped)', async () => {
    const hole = await raw(startBlackholeListener);
    const started = Date.now();
    const { report } = await check(settings(hole.port, { host: '127.0.0.1' }), PASSWORD, 800);
    expectFailure(report, 'CONNECTION_TIMEOUT', 'connect');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('GREETING_TIMEOUT when the server accepts but never speaks', async () => {
    const mute = await raw(() => startRawTcpServer('never-answers'));
    const { report } = await check(settings(mute.port, { host: '127.0.0.1' }), PASSWORD, 800);
    expectFailure(report, 'GREETING_TIMEOUT', 'greeting');
  });

  it('TLS_WRONG_MODE for SSL/TLS against a STARTTLS port ("wrong version number")', async () => {
    const s = await server({ certificate: certs.localhost });
    const { report } = await check(settings(s.port, { security: 'tls' }));
    expectFailure(report, 'TLS_WRONG_MODE', 'tls');
    expect(report.error?.hint).toMatch(/STARTTLS/);
  });

  it('TLS_WRONG_MODE for STARTTLS against an implicit-TLS port', async () => {
    const s = await server({ secure: true, certificate: certs.localhost });
    const { report, events } = await check(settings(s.port), PASSWORD, 1_000);
    expectFailure(report, 'TLS_WRONG_MODE', 'greeting');
    expect(report.error?.hint).toMatch(/SSL\/TLS/);
    // The wait is announced with its limit, so a window can count it down.
    expect(events.find((e) => e.name === 'greeting' && e.status === 'running')?.timeoutMs).toBe(1_000);
  });

  it('STARTTLS_UNAVAILABLE when the server does not offer STARTTLS, and nothing is sent in the clear', async () => {
    const s = await server({ allowInsecureAuth: true });
    const { report } = await check(settings(s.port));
    expectFailure(report, 'STARTTLS_UNAVAILABLE', 'starttls');
    expect(report.transcript.some((l) => l.startsWith('C: AUTH'))).toBe(false);
    expect(s.logins).toEqual([]);
  });

  it('TLS_CERT_UNTRUSTED on STARTTLS with a self-signed certificate, offering its fingerprint', async () => {
    const s = await server({ certificate: certs.selfSigned });
    const { report } = await check(settings(s.port, { caFile: undefined }));
    expectFailure(report, 'TLS_CERT_UNTRUSTED', 'certificate');
    expect(report.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(report.error?.hint).toMatch(/fingerprint/);
  });

  it('TLS_CERT_EXPIRED for an expired certificate from a trusted CA', async () => {
    const s = await server({ certificate: certs.expired });
    const { report } = await check(settings(s.port));
    expectFailure(report, 'TLS_CERT_EXPIRED', 'certificate');
    expect(report.certificate).toMatchObject({ expired: true });
    expect(report.certificate?.validTo).toMatch(/^2020-02-01/);
  });

  it('TLS_HOSTNAME_MISMATCH for a trusted certificate issued to another name', async () => {
    const s = await server({ secure: true, certificate: certs.wrongHost });
    const { report } = await check(settings(s.port, { security: 'tls' }));
    expectFailure(report, 'TLS_HOSTNAME_MISMATCH', 'certificate');
    expect(report.certificate).toMatchObject({ hostnameMatches: false, sans: ['DNS:wrong-host.invalid'] });
  });

  it('AUTH_UNAVAILABLE when the server advertises no AUTH', async () => {
    const s = await server({ certificate: certs.localhost, auth: 'none' });
    const { report } = await check(settings(s.port));
    expectFailure(report, 'AUTH_UNAVAILABLE', 'auth');
    expect(report.capabilities?.authMechanisms).toEqual([]);
  });

  it('AUTH_UNAVAILABLE for an OAuth2 account when the server offers no XOAUTH2, and nothing is tried', async () => {
    const s = await server({ certificate: certs.localhost });
    const { report } = await check(settings(s.port, { authMethod: 'oauth2' }), undefined);
    expectFailure(report, 'AUTH_UNAVAILABLE', 'auth');
    expect(report.error?.message).toMatch(/no XOAUTH2 in its AUTH list: PLAIN LOGIN/);
    expect(s.logins).toEqual([]);
  });

  it('OAUTH_SIGN_IN_REQUIRED for an OAuth2 account without a token; PASSWORD_MISSING without a password', async () => {
    const s = await server({ certificate: certs.localhost, authMethods: ['PLAIN', 'XOAUTH2'] });
    const oauth = await check(settings(s.port, { authMethod: 'oauth2' }), undefined);
    expectFailure(oauth.report, 'OAUTH_SIGN_IN_REQUIRED', 'auth');
    const password = await check(settings(s.port), '');
    expectFailure(password.report, 'PASSWORD_MISSING', 'auth');
    expect(s.logins).toEqual([]);
  });

  it('AUTH_REQUIRES_ENCRYPTION from the server when it takes a password only after TLS', async () => {
    const s = await server({ certificate: certs.localhost });
    // The user allowed unencrypted; this server answers AUTH on plaintext with 538.
    const { report } = await check(settings(s.port, { security: 'none', allowUnencrypted: true }));
    expectFailure(report, 'AUTH_REQUIRES_ENCRYPTION', 'auth');
    expect(report.error?.details?.responseCode).toBe(538);
    expect(report.capabilities?.starttls).toBe(true);
    expect(report.error?.hint).toMatch(/STARTTLS/);
    expect(s.logins).toEqual([]);
  });

  it('AUTH_REQUIRES_ENCRYPTION: never sends a password unencrypted without the explicit choice', async () => {
    const s = await server({ allowInsecureAuth: true });
    const { report } = await check(settings(s.port, { security: 'none' }));
    expectFailure(report, 'AUTH_REQUIRES_ENCRYPTION', 'auth');
    expect(report.transcript.some((l) => l.startsWith('C: AUTH'))).toBe(false);
    expect(s.logins).toEqual([]);
  });

  it('AUTH_FAILED for a wrong password, with the server reply', async () => {
    const s = await server({ certificate: certs.localhost });
    const { report } = await check(settings(s.port), 'wrong password');
    expectFailure(report, 'AUTH_FAILED', 'auth');
    expect(report.auth).toMatchObject({ attempted: true, ok: false });
    expect(report.error?.details?.serverResponse).toMatch(/^535/);
    expect(JSON.stringify(report)).not.toContain('wrong password');
  });

  it('AUTH_FAILED from a Gmail-style 535 5.7.8 suggests an app password or Google sign-in', async () => {
    const s = await server({
      certificate: certs.localhost,
      authFailureText:
        '5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials x1-20020a gsmtp',
    });
    const { report } = await check(settings(s.port), 'my normal google password');
    expect(report.error?.code).toBe('AUTH_FAILED');
    expect(report.error?.details).toMatchObject({ provider: 'gmail', enhancedStatus: '5.7.8' });
    expect(report.error?.hint).toMatch(/app password/i);
    expect(report.error?.hint).toMatch(/2-Step Verification/);
    expect(report.error?.hint).toMatch(/sign in with Google/i);
  });

  it('AUTH_FAILED from Microsoft 5.7.139 explains SMTP AUTH is disabled for the tenant', async () => {
    const s = await server({
      certificate: certs.localhost,
      authFailureText:
        '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
    });
    const { report } = await check(settings(s.port), 'tenant blocks this');
    expect(report.error?.code).toBe('AUTH_FAILED');
    expect(report.error?.details).toMatchObject({ provider: 'microsoft-365' });
    expect(report.error?.hint).toMatch(/SMTP AUTH/);
    expect(report.error?.hint).toMatch(/OAuth2/);
  });

  it('PROTOCOL_ERROR for a garbage banner', async () => {
    const junk = await raw(() => startRawTcpServer('garbage-banner'));
    const { report } = await check(settings(junk.port, { host: '127.0.0.1' }));
    expectFailure(report, 'PROTOCOL_ERROR', 'greeting');
    expect(report.error?.message).toContain('HTTP/1.1 400');
  });

  it('PROTOCOL_ERROR when the server hangs up right after EHLO', async () => {
    const flaky = await raw(() => startRawTcpServer('drop-after-ehlo'));
    const { report } = await check(settings(flaky.port, { host: '127.0.0.1' }));
    expectFailure(report, 'PROTOCOL_ERROR', 'ehlo');
    expect(report.banner).toBe('220 flaky.test ESMTP');
  });

  it('SERVER_TEMPORARY when the server greets with 421', async () => {
    const busy = await raw(() =>
      startRawTcpServer((socket) => socket.end('421 4.3.2 Too busy, try later\r\n')),
    );
    const { report } = await check(settings(busy.port, { host: '127.0.0.1' }));
    expectFailure(report, 'SERVER_TEMPORARY', 'greeting');
  });

  it('CANCELLED when the user cancels a check that is waiting on a silent server', async () => {
    const mute = await raw(() => startRawTcpServer('never-answers'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const report = await verifySmtpSettings(settings(mute.port, { host: '127.0.0.1' }), {
      password: PASSWORD,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    expect(report.error?.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report.steps.find((s) => s.name === 'greeting')?.status).toBe('failed');
  });
});
