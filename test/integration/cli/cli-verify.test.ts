import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostfixDovecot, type PostfixDovecot } from '../../harness/postfix-dovecot';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { runCli, secretForms, tempProfile } from './support/run-cli';

// `mailroom verify` as a subprocess against real Postfix + Dovecot (587 STARTTLS, 465 implicit TLS)
// and smtp-server: the JSON contract, each failure class with its stable code, exit codes, and no
// secret in any output.

interface VerifyJson {
  ok: boolean;
  host: string;
  port: number;
  security: string;
  steps: { name: string; ok: boolean; ms: number | null; detail: string | null }[];
  capabilities: { authMechanisms: string[] } | null;
  tls: { mode: string; version: string } | null;
  auth: { attempted: boolean; ok: boolean } | null;
  certificate: { fingerprint256: string } | null;
  probe?: { results: { port: number; ok: boolean }[] };
  error?: { code: string; message: string; hint?: string };
}

let mta: PostfixDovecot;
let selfSigned: TestSmtpServer;
let closedPort: number;
const profile = tempProfile('verify');

beforeAll(async () => {
  [mta, selfSigned] = await Promise.all([
    startPostfixDovecot({ authFailureDelaySeconds: 0 }),
    startSmtpServer({ certificate: makeTestCertificates().selfSigned, secure: true, auth: 'none' }),
  ]);
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
});

afterAll(async () => {
  await Promise.all([mta?.stop(), selfSigned?.stop()]);
});

/** The test CA is trusted like a system root (validation stays on). */
const trusted = () => ({ NODE_EXTRA_CA_CERTS: mta.caFile });

const verify = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(['verify', '--profile', profile, ...args], { env: trusted(), ...options });

// Each case is its own subprocess: run them side by side.
describe.concurrent('mailroom verify', () => {
  it('passes every step on the submission port (STARTTLS + sign-in) and says so in one JSON document', async () => {
    const run = await verify(
      [
        '--host',
        mta.host,
        '--port',
        String(mta.submissionPort),
        '--security',
        'starttls',
        '--user',
        mta.user,
        '--password-stdin',
        '--json',
      ],
      { input: `${mta.password}\n` },
    );
    expect(run.code).toBe(0);
    const doc = run.json<VerifyJson>();
    expect(doc).toMatchObject({ ok: true, host: mta.host, port: mta.submissionPort, security: 'starttls' });
    expect(doc.steps.map((s) => s.name)).toEqual([
      'dns',
      'connect',
      'greeting',
      'ehlo',
      'starttls',
      'certificate',
      'auth',
    ]);
    expect(doc.steps.every((s) => s.ok && typeof s.ms === 'number')).toBe(true);
    expect(doc.tls?.mode).toBe('starttls');
    expect(doc.auth).toMatchObject({ attempted: true, ok: true });
    expect(doc.capabilities?.authMechanisms).toContain('PLAIN');
    expect(doc.error).toBeUndefined();
    // Nothing in --json mode goes to stderr as progress, and the password appears nowhere.
    expect(run.stderr).toBe('');
    for (const secret of secretForms(mta.user, mta.password)) expect(run.stdout).not.toContain(secret);
  });

  it('passes on the implicit-TLS port, security taken from port 465 style by --security tls', async () => {
    const run = await verify(
      [
        '--host',
        mta.host,
        '--port',
        String(mta.smtpsPort),
        '--security',
        'tls',
        '--user',
        mta.user,
        '--password-stdin',
        '--json',
      ],
      { input: mta.password },
    );
    expect(run.code).toBe(0);
    const doc = run.json<VerifyJson>();
    expect(doc.tls?.mode).toBe('implicit');
    expect(doc.steps.map((s) => s.name)).toEqual([
      'dns',
      'connect',
      'tls',
      'greeting',
      'ehlo',
      'certificate',
      'auth',
    ]);
  });

  it('shows readable steps and a verdict without --json, never the password', async () => {
    const run = await verify(
      ['--host', mta.host, '--port', String(mta.submissionPort), '--user', mta.user, '--password-stdin'],
      { input: mta.password },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ Connect/);
    expect(run.stdout).toMatch(/✓ Sign in .*Signed in as/);
    expect(run.stdout).toMatch(/OK: 127\.0\.0\.1:\d+ \(STARTTLS\) passed every check/);
    for (const secret of secretForms(mta.user, mta.password))
      expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('reports a wrong password as AUTH_FAILED, exit 1', async () => {
    const wrong = 'not-the-password-1234';
    const run = await verify(
      [
        '--host',
        mta.host,
        '--port',
        String(mta.submissionPort),
        '--user',
        mta.user,
        '--password-stdin',
        '--json',
      ],
      { input: wrong },
    );
    expect(run.code).toBe(1);
    const doc = run.json<VerifyJson>();
    expect(doc.ok).toBe(false);
    expect(doc.error?.code).toBe('AUTH_FAILED');
    expect(doc.error?.hint).toBeTruthy();
    expect(doc.steps.find((s) => s.name === 'auth')).toMatchObject({ ok: false });
    for (const secret of secretForms(mta.user, wrong)) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('reports SSL/TLS against a STARTTLS port as TLS_WRONG_MODE', async () => {
    const run = await verify([
      '--host',
      mta.host,
      '--port',
      String(mta.submissionPort),
      '--security',
      'tls',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.json<VerifyJson>().error?.code).toBe('TLS_WRONG_MODE');
  });

  it('reports a port nobody listens on as CONNECTION_REFUSED', async () => {
    const run = await verify(['--host', '127.0.0.1', '--port', String(closedPort), '--json']);
    expect(run.code).toBe(1);
    const doc = run.json<VerifyJson>();
    expect(doc.error?.code).toBe('CONNECTION_REFUSED');
    expect(doc.steps.find((s) => s.name === 'connect')).toMatchObject({ ok: false });
  });

  it('reports a name that does not exist as DNS_NOT_FOUND, with and without --port', async () => {
    const [withPort, probing] = await Promise.all([
      verify(['--host', 'smtp.nothing-here.invalid', '--port', '587', '--json']),
      verify(['--host', 'smtp.nothing-here.invalid', '--json']),
    ]);
    expect(withPort.code).toBe(1);
    expect(withPort.json<VerifyJson>().error?.code).toBe('DNS_NOT_FOUND');
    // Without --port the check probes 465, 587 and 25 first.
    expect(probing.code).toBe(1);
    const doc = probing.json<VerifyJson>();
    expect(doc.steps[0]).toMatchObject({ name: 'probe', ok: false });
    expect(doc.probe?.results.map((r) => r.port)).toEqual([465, 587, 25]);
    expect(doc.error?.code).toBe('DNS_NOT_FOUND');
  });

  it('reports a certificate from an unknown CA as TLS_CERT_UNTRUSTED, and passes with --ca', async () => {
    const args = ['--host', mta.host, '--port', String(mta.smtpsPort), '--security', 'tls', '--json'];
    const [untrusted, byCa] = await Promise.all([
      verify(args, { env: {} }),
      verify([...args, '--ca', mta.caFile], { env: {} }),
    ]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.json<VerifyJson>().error?.code).toBe('TLS_CERT_UNTRUSTED');
    expect(byCa.code).toBe(0);
  });

  it('reports a self-signed certificate as TLS_CERT_UNTRUSTED, and passes once its fingerprint is trusted', async () => {
    const args = [
      '--host',
      selfSigned.host,
      '--port',
      String(selfSigned.port),
      '--security',
      'tls',
      '--json',
    ];
    const untrusted = await verify(args);
    expect(untrusted.code).toBe(1);
    const doc = untrusted.json<VerifyJson>();
    expect(doc.error?.code).toBe('TLS_CERT_UNTRUSTED');
    const fingerprint = doc.certificate?.fingerprint256;
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // Any common spelling of the fingerprint (here: lower case, no colons).
    const pinned = await verify([
      ...args,
      '--trust-fingerprint',
      fingerprint!.replace(/:/g, '').toLowerCase(),
    ]);
    expect(pinned.code).toBe(0);
    expect(pinned.json<VerifyJson>().steps.find((s) => s.name === 'certificate')?.ok).toBe(true);
  });
});

describe.concurrent('usage errors (as a subprocess; the full table is in test/unit/cli)', () => {
  it('exits 2 with one line of reason and a pointer to --help', async () => {
    const run = await runCli(['verify', '--host', 'h', '--frobnicate', '--profile', profile]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      "mailroom verify: Unknown option '--frobnicate'",
      "Run 'mailroom verify --help' for usage.",
    ]);
    expect(run.stdout).toBe('');
  });

  it('still prints exactly one JSON document with --json', async () => {
    const run = await runCli(['verify', '--port', '587', '--json']);
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('answers npx mailroom --help from the repository root with exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: mailroom COMMAND/);
    expect(run.stdout).toMatch(/Exit codes: 0 success, 1 .*, 2 usage error/);
  });
});
