import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  dir: string;
  certPath: string;
  certPem: string;
  keyPath: string;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A throwaway certificate authority made with the openssl CLI, for servers that tests start. */
export function createTestCa(name = 'Mailroom Test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-ca-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return {
    dir,
    certPath: join(dir, 'ca.crt'),
    certPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    keyPath: join(dir, 'ca.key'),
  };
}

/** A server certificate for the given DNS names / IPs, signed by the test CA. */
export function issueServerCert(ca: TestCa, names: string[], label = 'server'): IssuedCert {
  const san = names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(join(ca.dir, `${label}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${label}.key`,
      '-out',
      `${label}.csr`,
      '-subj',
      `/CN=${names[0] ?? 'localhost'}`,
    ],
    ca.dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${label}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${label}.crt`,
      '-days',
      '30',
      '-extfile',
      `${label}.ext`,
    ],
    ca.dir,
  );
  const certPath = join(ca.dir, `${label}.crt`);
  const keyPath = join(ca.dir, `${label}.key`);
  return {
    certPath,
    keyPath,
    certPem: readFileSync(certPath, 'utf8'),
    keyPem: readFileSync(keyPath, 'utf8'),
  };
}
