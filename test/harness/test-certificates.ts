import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  dir: string;
  /** Private CA; `caFile` is its PEM on disk, for settings.caFile. */
  ca: KeyPair;
  caFile: string;
  /** CA-signed, CN/SAN localhost + 127.0.0.1. */
  localhost: KeyPair;
  /** Self-signed, CN/SAN localhost. */
  selfSigned: KeyPair;
  /** CA-signed for localhost, valid only in January 2020. */
  expired: KeyPair;
  /** CA-signed for a different name (wrong-host.invalid). */
  wrongHost: KeyPair;
}

let cached: TestCertificates | undefined;

const openssl = (cwd: string, args: string[]) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** Makes (once per process) the certificates the TLS tests need, with the openssl CLI. EC keys: fast. */
export function makeTestCertificates(): TestCertificates {
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-certs-'));
  // caFile points into this dir, so it lives as long as the test process.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const ecKey = (name: string) =>
    openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name]);

  ecKey('ca.key');
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-days',
    '30',
    '-subj',
    '/CN=Mailroom Test CA/O=Mailroom tests',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    'ca.crt',
  ]);

  const leaf = (name: string, cn: string, san: string) => {
    ecKey(`${name}.key`);
    openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
    writeFileSync(
      path.join(dir, `${name}.ext`),
      `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
  };

  leaf('localhost', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'localhost.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    'localhost.ext',
    '-out',
    'localhost.crt',
  ]);

  leaf('wrong', 'wrong-host.invalid', 'DNS:wrong-host.invalid');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'wrong.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    'wrong.ext',
    '-out',
    'wrong.crt',
  ]);

  ecKey('self.key');
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-out',
    'self.crt',
  ]);

  // `openssl x509` (3.0) cannot backdate, `openssl ca` can: a certificate that expired in 2020.
  leaf('expired', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  mkdirSync(path.join(dir, 'ca-db'));
  writeFileSync(path.join(dir, 'ca-db', 'index.txt'), '');
  writeFileSync(path.join(dir, 'ca-db', 'serial'), '1000\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca=test',
      '[test]',
      'dir=ca-db',
      'database=ca-db/index.txt',
      'serial=ca-db/serial',
      'new_certs_dir=ca-db',
      'default_md=sha256',
      'policy=any',
      'copy_extensions=none',
      '[any]',
      'commonName=supplied',
      '',
    ].join('\n'),
  );
  openssl(dir, [
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.crt',
    '-keyfile',
    'ca.key',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-extfile',
    'expired.ext',
    '-in',
    'expired.csr',
    '-out',
    'expired.crt',
    '-notext',
  ]);

  cached = {
    dir,
    ca: { key: read('ca.key'), cert: read('ca.crt') },
    caFile: path.join(dir, 'ca.crt'),
    localhost: { key: read('localhost.key'), cert: read('localhost.crt') },
    selfSigned: { key: read('self.key'), cert: read('self.crt') },
    expired: { key: read('expired.key'), cert: read('expired.crt') },
    wrongHost: { key: read('wrong.key'), cert: read('wrong.crt') },
  };
  return cached;
}
