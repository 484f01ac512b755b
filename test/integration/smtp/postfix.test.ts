import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { verifySmtpSettings } from '../../../electron/core/smtp/smtp-verify';
import { recipientsOf, sendThroughOutbox } from '../outbox/support/send-through-outbox';
import { startPostfixDovecot, TEST_DOMAIN, type PostfixDovecot } from '../../harness/postfix-dovecot';

// Real Postfix 3.7 + Dovecot 2.3 SASL, as a provider would run them: 587 STARTTLS-required, 465 implicit TLS.
let mta: PostfixDovecot;
beforeAll(async () => {
  mta = await startPostfixDovecot();
});
afterAll(async () => {
  await mta?.stop();
});

const settings = (patch: Partial<SmtpSettings>): SmtpSettings => ({
  host: mta.host,
  port: mta.submissionPort,
  security: 'starttls',
  authMethod: 'password',
  username: mta.user,
  allowUnencrypted: false,
  caFile: mta.caFile,
  ...patch,
});

describe('against Postfix + Dovecot', () => {
  it('verifies the submission port (STARTTLS) end to end', async () => {
    const report = await verifySmtpSettings(settings({}), { password: mta.password, timeoutMs: 5_000 });
    expect(report.error).toBeUndefined();
    expect(report.banner).toMatch(/^220 .*Postfix/);
    expect(report.tls?.mode).toBe('starttls');
    // Postfix only offers AUTH once the session is encrypted (smtpd_tls_auth_only).
    expect(report.capabilities).toMatchObject({
      encrypted: true,
      authMechanisms: ['PLAIN', 'LOGIN'],
      chunking: true,
      enhancedStatusCodes: true,
    });
    expect(report.auth).toMatchObject({ ok: true });
    expect(JSON.stringify(report)).not.toContain(mta.password);
  });

  it('verifies the implicit TLS port', async () => {
    const report = await verifySmtpSettings(settings({ port: mta.smtpsPort, security: 'tls' }), {
      password: mta.password,
      timeoutMs: 5_000,
    });
    expect(report.error).toBeUndefined();
    expect(report.tls?.mode).toBe('implicit');
    expect(report.certificate).toMatchObject({ chainTrusted: true, hostnameMatches: true });
  });

  it("reports a wrong password as AUTH_FAILED after Dovecot's delay", async () => {
    const report = await verifySmtpSettings(settings({}), { password: 'not-the-password', timeoutMs: 8_000 });
    expect(report.error?.code).toBe('AUTH_FAILED');
    expect(report.error?.details?.serverResponse).toMatch(/^535 5\.7\.8/);
    expect(report.steps.find((s) => s.name === 'auth')?.ms).toBeGreaterThan(1_000);
  });

  it('explains that Postfix hides AUTH on an unencrypted connection', async () => {
    const report = await verifySmtpSettings(settings({ security: 'none', allowUnencrypted: true }), {
      password: mta.password,
      timeoutMs: 5_000,
    });
    expect(report.error?.code).toBe('AUTH_UNAVAILABLE');
    expect(report.error?.hint).toMatch(/STARTTLS/);
    expect(report.transcript.some((l) => l.startsWith('C: AUTH'))).toBe(false);
  });

  it('TLS_WRONG_MODE for SSL/TLS against the STARTTLS port', async () => {
    const report = await verifySmtpSettings(settings({ security: 'tls' }), {
      password: mta.password,
      timeoutMs: 5_000,
    });
    expect(report.error?.code).toBe('TLS_WRONG_MODE');
  });

  it('sends through the outbox on 587 and 465 and the messages arrive intact', async () => {
    const before = (await mta.readDelivered()).length;
    const first = await sendThroughOutbox(
      settings({}),
      { password: mta.password },
      {
        from: { name: 'Tester', address: mta.user },
        to: [`alice@${TEST_DOMAIN}`],
        subject: 'Über submission',
        text: 'Sent on the submission port.\n',
      },
    );
    const second = await sendThroughOutbox(
      settings({ port: mta.smtpsPort, security: 'tls' }),
      { password: mta.password },
      {
        from: { address: mta.user },
        to: [`bob@${TEST_DOMAIN}`],
        subject: 'Over implicit TLS',
        text: 'Sent on the SMTPS port.\n',
        html: '<p>Sent on the <b>SMTPS</b> port.</p>',
      },
    );
    expect(first.ok && first.entry.response).toMatch(/^250 2\.0\.0 Ok: queued as/);
    expect(second.ok && recipientsOf(second.entry).accepted).toEqual([`bob@${TEST_DOMAIN}`]);
    const delivered = await mta.waitForDelivered(before + 2);
    const parsed = await Promise.all(delivered.slice(before).map((raw) => simpleParser(raw)));
    const bySubject = Object.fromEntries(parsed.map((p) => [p.subject, p]));
    expect(bySubject['Über submission']?.text).toBe('Sent on the submission port.\n');
    expect(
      bySubject['Über submission']?.to && 'text' in bySubject['Über submission'].to
        ? bySubject['Über submission'].to.text
        : '',
    ).toBe(`alice@${TEST_DOMAIN}`);
    expect(bySubject['Over implicit TLS']?.html).toContain('<b>SMTPS</b>');
    // Postfix records that it arrived over TLS from an authenticated sender.
    expect(delivered.slice(before).join('\n')).toMatch(/with ESMTPS(A|SA)/);
  });

  it('AUTH_FAILED when the outbox signs in with a wrong password', async () => {
    const result = await sendThroughOutbox(
      settings({}),
      { password: 'wrong' },
      { from: { address: mta.user }, to: [`alice@${TEST_DOMAIN}`], subject: 'x', text: 'x' },
    );
    expect(!result.ok && result.error.code).toBe('AUTH_FAILED');
  });
});
