import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { tempProfile } from './support/run-cli';

// The installed `mailroom` runs the prebuilt bundle (out/cli/mailroom.cjs, built by this project's
// globalSetup from the current sources), never tsx; `--help` and `verify` load only what they use;
// without the bundle it still answers, from the sources, and says so.

const ROOT = resolve(__dirname, '../../..');
const BUNDLE = join(ROOT, 'out/cli/mailroom.cjs');
const HOOK = join(__dirname, 'support/record-loaded-modules.mjs');

interface Loaded {
  requests: { request: string; from: string | null }[];
  files: string[];
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  loaded: Loaded;
}

const scratch = mkdtempSync(join(tmpdir(), 'mailroom-cli-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

/** `node --import HOOK BIN ARGS` with the modules it loaded. */
function runRecorded(bin: string, args: string[], input = ''): Promise<Run> {
  const out = join(scratch, `modules-${++runs}.json`);
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(HOOK).href, bin, ...args], {
      cwd: ROOT,
      env: { ...process.env, MAILROOM_PROFILE: '', MAILROOM_TEST_MODULES_OUT: out },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolveRun({ code, stdout, stderr, loaded: JSON.parse(readFileSync(out, 'utf8')) as Loaded }),
    );
    child.stdin.end(input);
  });
}

const fromBundle = (loaded: Loaded) => loaded.requests.filter((r) => r.from === BUNDLE).map((r) => r.request);
const packageLoaded = (loaded: Loaded, name: string) =>
  loaded.files.some((f) => f.includes(`/node_modules/${name}/`));

function expectBundleNotSources(run: Run): void {
  // The bundle asked for the built-ins it uses: the code that ran was out/cli/mailroom.cjs.
  expect(fromBundle(run.loaded)).toContain('node:util');
  expect(run.loaded.files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  expect(packageLoaded(run.loaded, 'tsx')).toBe(false);
  expect(run.stderr).not.toContain('is missing');
}

let unbuilt: string | undefined;
/** A checkout with the same sources and packages but no out/ (an install that skipped `prepare`). */
function unbuiltCheckout(): string {
  if (unbuilt) return unbuilt;
  const checkout = join(scratch, 'unbuilt');
  mkdirSync(join(checkout, 'bin'), { recursive: true });
  for (const file of ['mailroom.mjs', 'code-cache.mjs'])
    copyFileSync(join(ROOT, 'bin', file), join(checkout, 'bin', file));
  for (const dir of ['electron', 'shared', 'node_modules']) symlinkSync(join(ROOT, dir), join(checkout, dir));
  symlinkSync(join(ROOT, 'package.json'), join(checkout, 'package.json'));
  return (unbuilt = checkout);
}

let server: TestSmtpServer;
const USER = 'bundle@example.test';
const PASSWORD = 'bundle-password-9';

beforeAll(async () => {
  server = await startSmtpServer({
    certificate: makeTestCertificates().localhost,
    secure: true,
    users: { [USER]: PASSWORD },
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('the mailroom bin', () => {
  it('answers --help from the bundle without loading the core', async () => {
    const run = await runRecorded(join(ROOT, 'bin/mailroom.mjs'), ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: mailroom COMMAND/);
    expectBundleNotSources(run);
    // Only the core speaks TLS (its SMTP code, nodemailer): help evaluates none of it.
    expect(fromBundle(run.loaded)).not.toContain('node:tls');
    expect(fromBundle(run.loaded)).not.toContain('tls');
    for (const name of ['mailparser', 'keytar', 'mailauth'])
      expect(packageLoaded(run.loaded, name)).toBe(false);
  });

  it('runs a real verify (implicit TLS, sign-in) from the bundle, without mailparser, mailauth or the keychain', async () => {
    const run = await runRecorded(
      join(ROOT, 'bin/mailroom.mjs'),
      [
        'verify',
        '--profile',
        tempProfile('bundle'),
        '--host',
        server.host,
        '--port',
        String(server.port),
        '--security',
        'tls',
        '--ca',
        makeTestCertificates().caFile,
        '--user',
        USER,
        '--password-stdin',
        '--json',
      ],
      `${PASSWORD}\n`,
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; auth: { ok: boolean } | null };
    expect(report.ok).toBe(true);
    expect(report.auth?.ok).toBe(true);
    expect(server.logins).toContainEqual(expect.stringContaining(USER));
    expectBundleNotSources(run);
    expect(fromBundle(run.loaded)).toContain('node:tls');
    // Reading sent mail, the keychain and the delivery check (--from) are other commands' business.
    for (const name of ['mailparser', 'keytar', 'mailauth'])
      expect(packageLoaded(run.loaded, name)).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('without the bundle, answers from the TypeScript sources and says so in one line on stderr', async () => {
    const run = await runRecorded(join(unbuiltCheckout(), 'bin/mailroom.mjs'), ['--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: mailroom COMMAND/);
    expect(run.stderr.trim().split('\n')).toEqual([
      'mailroom: out/cli/mailroom.cjs is missing, so this start compiles the TypeScript sources (slow); `npm run build:cli` builds it.',
    ]);
    expect(run.loaded.files.some((f) => f.endsWith('electron/cli/cli-main.ts'))).toBe(true);
  });

  it('outbox list loads no code for building, merging or delivering messages, nor for discovery', async () => {
    // From the sources, where every package the core loads shows in require.cache: the bundle is made
    // from the same imports, and evaluates a module only where these load it.
    const profile = tempProfile('lazy');
    const run = await runRecorded(join(unbuiltCheckout(), 'bin/mailroom.mjs'), [
      'outbox',
      'list',
      '--json',
      '--profile',
      profile,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, pending: 0, entries: [], sent: [], jobs: [] });
    // The core itself was loaded and read the outbox (its message files are nodemailer's MIME code).
    expect(run.loaded.files.some((f) => f.endsWith('electron/core/outbox/outbox-store.ts'))).toBe(true);
    expect(packageLoaded(run.loaded, 'zod')).toBe(true);
    expect(run.loaded.files.some((f) => f.includes('/node_modules/nodemailer/dist/cjs/mime-node/'))).toBe(
      true,
    );
    // html-to-text (a message's text part), csv-parse (mail merge), fast-xml-parser (discovery).
    for (const name of ['html-to-text', 'csv-parse', 'fast-xml-parser'])
      expect(packageLoaded(run.loaded, name), name).toBe(false);
    // nodemailer's transports (delivery) and the modules that build, plan or discover.
    expect(
      run.loaded.files.filter((f) => f.includes('/node_modules/nodemailer/dist/cjs/nodemailer.js')),
    ).toEqual([]);
    const notLoaded = [
      'shared/domain/outgoing-message.ts',
      'electron/core/outbox/send-handlers.ts',
      'electron/core/merge/merge-plan.ts',
      'electron/core/discovery/discovery-handlers.ts',
      'electron/core/outbox/smtp-pools.ts',
    ];
    expect(run.loaded.files.filter((f) => notLoaded.some((m) => f.endsWith(m)))).toEqual([]);
  });

  it('without devDependencies, prepare skips the build and the bin says what to run', async () => {
    // What `npm ci --omit=dev` leaves: the scripts, no esbuild, no tsx, no bundle.
    const checkout = join(scratch, 'no-dev');
    for (const dir of ['bin', 'scripts', 'node_modules']) mkdirSync(join(checkout, dir), { recursive: true });
    for (const file of ['mailroom.mjs', 'code-cache.mjs'])
      copyFileSync(join(ROOT, 'bin', file), join(checkout, 'bin', file));
    copyFileSync(join(ROOT, 'scripts/build-cli.mjs'), join(checkout, 'scripts/build-cli.mjs'));

    const build = await runRecorded(join(checkout, 'scripts/build-cli.mjs'), []);
    expect(build.code).toBe(0);
    expect(build.stderr).toContain('esbuild (a devDependency) is not installed');

    const run = await runRecorded(join(checkout, 'bin/mailroom.mjs'), ['--help']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('run `npm ci`, which builds the CLI');
  });
});
