import { afterEach, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
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

  it('a pinned certificate is added to the roots only when it is the pinned one', async () => {
    const { selfSigned, localhost } = makeTestCertificates();
    const fp = new X509Certificate(selfSigned.cert).fingerprint256;
    const pinned = buildTransportOptions(
      { ...base, trustedFingerprint: fp, trustedCertificatePem: selfSigned.cert },
      { password: 'pw' },
    );
    if (!pinned.ok) throw new Error('options refused');
    await expect(tlsHandshake(selfSigned, pinned.value.tls!)).resolves.toBe('authorized');
    // A PEM that is not the pinned certificate widens nothing: the default roots only.
    const mismatched = buildTransportOptions(
      { ...base, trustedFingerprint: fp, trustedCertificatePem: localhost.cert },
      { password: 'pw' },
    );
    if (!mismatched.ok) throw new Error('options refused');
    expect(mismatched.value.tls?.secureContext).toBeUndefined();
    await expect(tlsHandshake(selfSigned, mismatched.value.tls!)).rejects.toThrow(/self.signed/i);
    await expect(tlsHandshake(localhost, mismatched.value.tls!)).rejects.toThrow(
      /issuer|verify the first certificate/i,
    );
  });

  it('an account with a certificate of its own still trusts the roots every other account trusts', async () => {
    // What Node trusts by default is fixed at its start, so each case is a child process in which
    // the test's private CA is one of those roots: the system store (--use-openssl-ca with
    // SSL_CERT_FILE, as a distribution's Node is often built) or NODE_EXTRA_CA_CERTS. The account
    // pins a self-signed certificate; the server presents a certificate the private CA signed.
    const certs = makeTestCertificates();
    const server = await tlsServer(certs.localhost);
    const fp = new X509Certificate(certs.selfSigned.cert).fingerprint256;
    const settings = { ...base, trustedFingerprint: fp, trustedCertificatePem: certs.selfSigned.cert };
    const moduleUrl = pathToFileURL(path.resolve('electron/core/smtp/transport-options.ts')).href;
    const script = `
      const tls = await import('node:tls');
      const loaded = await import(${JSON.stringify(moduleUrl)});
      const { buildTransportOptions } = loaded.default ?? loaded;
      const built = buildTransportOptions(${JSON.stringify(settings)}, { password: 'pw' });
      const socket = tls.connect({ ...built.value.tls, host: '127.0.0.1', port: ${server.port}, servername: 'localhost' }, () => {
        process.stdout.write(socket.authorized ? 'authorized' : 'unauthorized');
        socket.destroy();
      });
      socket.once('error', (error) => process.stdout.write('refused: ' + error.message));`;
    const run = (nodeFlags: string[], env: NodeJS.ProcessEnv) => {
      const { NODE_EXTRA_CA_CERTS: _unset, SSL_CERT_FILE: _unset2, ...inherited } = process.env;
      return promisify(execFile)(
        process.execPath,
        [...nodeFlags, '--import', 'tsx', '--input-type=module', '-e', script],
        { env: { ...inherited, ...env } },
      ).then((r) => r.stdout);
    };
    await expect(run(['--use-openssl-ca'], { SSL_CERT_FILE: certs.caFile })).resolves.toBe('authorized');
    await expect(run([], { NODE_EXTRA_CA_CERTS: certs.caFile })).resolves.toBe('authorized');
    // Neither: the certificate the private CA signed is refused, and the pinned one alone is trusted.
    await expect(run([], {})).resolves.toMatch(/^refused: .*(issuer|verify the first certificate)/);
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

/** A local TLS server presenting `pair`, which closes every connection once it is up. */
async function tlsServer(pair: { key: string; cert: string }): Promise<{ port: number }> {
  const server = tls.createServer({ key: pair.key, cert: pair.cert }, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port };
}

/** A TLS handshake with a local server presenting `pair`, as a check of `localhost` would make it. */
async function tlsHandshake(
  pair: { key: string; cert: string },
  options: tls.ConnectionOptions,
): Promise<string> {
  const { port } = await tlsServer(pair);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...options, host: '127.0.0.1', port, servername: 'localhost' }, () => {
      socket.destroy();
      resolve(socket.authorized ? 'authorized' : 'unauthorized');
    });
    socket.once('error', reject);
  });
}
