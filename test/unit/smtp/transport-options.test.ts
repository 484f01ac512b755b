import { afterEach, describe, expect, it } from 'vitest';
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

  it('an account with a private CA reuses one TLS context, which trusts exactly what the options say', async () => {
    const certs = makeTestCertificates();
    const first = buildTransportOptions({ ...base, caFile: certs.caFile }, { password: 'pw' });
    const again = buildTransportOptions({ ...base, caFile: certs.caFile }, { password: 'pw' });
    if (!first.ok || !again.ok) throw new Error('options refused');
    expect(first.value.tls?.secureContext).toBeDefined();
    expect(again.value.tls?.secureContext).toBe(first.value.tls?.secureContext);
    const fp = new X509Certificate(certs.selfSigned.cert).fingerprint256;
    const pinned = buildTransportOptions(
      { ...base, trustedFingerprint: fp, trustedCertificatePem: certs.selfSigned.cert },
      { password: 'pw' },
    );
    expect(pinned.ok && pinned.value.tls?.secureContext).not.toBe(first.value.tls?.secureContext);

    // Through the reused context: the CA's certificate for the right name is accepted, the wrong
    // name and a certificate from outside the CA are refused.
    const handshake = (pair: { key: string; cert: string }) => tlsHandshake(pair, first.value.tls!);
    await expect(handshake(certs.localhost)).resolves.toBe('authorized');
    await expect(handshake(certs.wrongHost)).rejects.toThrow(/Hostname\/IP does not match|altnames/);
    await expect(handshake(certs.selfSigned)).rejects.toThrow(/self.signed/i);
  });

  it('FILE_NOT_FOUND when the CA file is gone', () => {
    const r = buildTransportOptions({ ...base, caFile: '/nonexistent/ca.pem' }, { password: 'pw' });
    expect(!r.ok && r.error.code).toBe('FILE_NOT_FOUND');
  });
});

const servers: tls.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TLS handshake with a local server presenting `pair`, as a check of `localhost` would make it. */
async function tlsHandshake(
  pair: { key: string; cert: string },
  options: tls.ConnectionOptions,
): Promise<string> {
  const server = tls.createServer({ key: pair.key, cert: pair.cert }, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...options, host: '127.0.0.1', port, servername: 'localhost' }, () => {
      socket.destroy();
      resolve(socket.authorized ? 'authorized' : 'unauthorized');
    });
    socket.once('error', reject);
  });
}
