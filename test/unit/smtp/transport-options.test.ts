import { describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { buildTransportOptions } from '../../../electron/core/smtp/transport-options';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { makeTestCertificates } from '../../harness/test-certificates';

const base: SmtpSettings = {
  host: 'smtp.example.org',
  port: 587,
  security: 'starttls',
  authMethod: 'password',
  username: 'ada@example.org',
  allowUnencrypted: false,
};

describe('buildTransportOptions', () => {
  it('STARTTLS is required, TLS 1.2 is the floor and validation stays on', () => {
    const r = buildTransportOptions(base, { password: 'pw' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      opportunisticTLS: false,
      logger: false,
      debug: false,
    });
    expect(r.value.tls).toMatchObject({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      servername: 'smtp.example.org',
    });
    expect(r.value.tls?.ca).toBeUndefined();
  });

  it('SSL/TLS means implicit TLS from the first byte', () => {
    const r = buildTransportOptions({ ...base, port: 465, security: 'tls' }, { password: 'pw' });
    expect(r.ok && r.value).toMatchObject({ secure: true, requireTLS: false });
  });

  it('refuses a password over an unencrypted connection unless the user allowed it', () => {
    const refused = buildTransportOptions({ ...base, security: 'none', port: 25 }, { password: 'pw' });
    expect(!refused.ok && refused.error.code).toBe('AUTH_REQUIRES_ENCRYPTION');
    expect(
      buildTransportOptions(
        { ...base, security: 'none', port: 25, allowUnencrypted: true },
        { password: 'pw' },
      ).ok,
    ).toBe(true);
    expect(buildTransportOptions({ ...base, security: 'none', port: 25, authMethod: 'none' }, {}).ok).toBe(
      true,
    );
  });

  it('PASSWORD_MISSING instead of an anonymous attempt when the password is gone', () => {
    const r = buildTransportOptions(base, {});
    expect(!r.ok && r.error.code).toBe('PASSWORD_MISSING');
  });

  it('a pinned certificate is added to the roots only when it is the pinned one', () => {
    const { selfSigned, localhost } = makeTestCertificates();
    const fp = new X509Certificate(selfSigned.cert).fingerprint256;
    const pinned = buildTransportOptions(
      { ...base, trustedFingerprint: fp, trustedCertificatePem: selfSigned.cert },
      { password: 'pw' },
    );
    expect(pinned.ok && pinned.value.tls?.ca).toEqual([...tls.rootCertificates, selfSigned.cert]);
    const mismatched = buildTransportOptions(
      { ...base, trustedFingerprint: fp, trustedCertificatePem: localhost.cert },
      { password: 'pw' },
    );
    expect(mismatched.ok && mismatched.value.tls?.ca).toBeUndefined();
  });

  it('FILE_NOT_FOUND when the CA file is gone', () => {
    const r = buildTransportOptions({ ...base, caFile: '/nonexistent/ca.pem' }, { password: 'pw' });
    expect(!r.ok && r.error.code).toBe('FILE_NOT_FOUND');
  });
});
