import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The real core (conf + keytar) in a child process whose environment offers no usable keychain:
// no D-Bus session at all, a bus with no Secret Service, and a gnome-keyring that is locked.
// Each time: a plain explanation with a fix, no password written to disk, session-only mode works.

const root = resolve(__dirname, '../../..');
const tsxCli = join(root, 'node_modules/tsx/dist/cli.mjs');
const child = join(__dirname, 'support/keychain-child.ts');
const PASSWORD = 'Keychain-less s3cret!';

interface ChildReport {
  keychain: { available: boolean; reason?: string; problem?: string; fix?: string };
  accountsBefore: number;
  credentials?: { ok: boolean; error?: { code: string; message: string; hint?: string } };
  addToKeychain: { ok: boolean; error?: { code: string; message: string; hint?: string } };
  remove?: { ok: boolean; error?: { code: string; message: string } };
  addForSession: { ok: boolean; value?: { hasPassword: boolean; credentialMode: string } };
  sessionPasswordAvailable: boolean;
}

function setup() {
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-nokeychain-profile-'));
  const secretDir = mkdtempSync(join(tmpdir(), 'mailroom-nokeychain-secret-'));
  const passwordFile = join(secretDir, 'password');
  writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
  return { profileDir, passwordFile };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { report: ChildReport; output: string } {
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (result.status !== 0 || !line) throw new Error(`child failed (${result.status}):\n${output}`);
  return { report: JSON.parse(line) as ChildReport, output };
}

/** Every file in the profile, checked for the password's bytes. */
function filesWithPassword(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && readFileSync(f).includes(Buffer.from(PASSWORD)));
}

function expectSessionModeWorks(report: ChildReport) {
  expect(report.addForSession).toMatchObject({
    ok: true,
    value: { hasPassword: true, credentialMode: 'session' },
  });
  expect(report.sessionPasswordAvailable).toBe(true);
}

const withoutSessionBus = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env['DBUS_SESSION_BUS_ADDRESS'];
  delete env['DISPLAY'];
  return env;
};

describe('no usable keychain', () => {
  it('no D-Bus session: explains what is missing, refuses to save to the keychain, writes no password', () => {
    const { profileDir, passwordFile } = setup();
    const { report, output } = run(
      process.execPath,
      [tsxCli, child, profileDir, 'check', passwordFile],
      withoutSessionBus(),
    );
    expect(report.keychain).toMatchObject({ available: false, reason: 'no-session-bus' });
    expect(report.keychain.problem).toMatch(/D-Bus/);
    expect(report.keychain.fix).toMatch(/session only/);
    expect(report.addToKeychain).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expectSessionModeWorks(report);
    expect(filesWithPassword(profileDir)).toEqual([]);
    expect(output).not.toContain(PASSWORD);
  });

  it('a bus but no Secret Service: says to install a keyring, writes no password', () => {
    const { profileDir, passwordFile } = setup();
    const { report, output } = run(
      'dbus-run-session',
      [
        `--config-file=${join(__dirname, 'support/no-secret-service.conf')}`,
        '--',
        process.execPath,
        tsxCli,
        child,
        profileDir,
        'check',
        passwordFile,
      ],
      withoutSessionBus(),
    );
    expect(report.keychain).toMatchObject({ available: false, reason: 'no-secret-service' });
    expect(report.keychain.fix).toMatch(/gnome-keyring/);
    expect(report.addToKeychain).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect(report.addToKeychain.error?.hint).toMatch(/gnome-keyring/);
    expectSessionModeWorks(report);
    const config = JSON.parse(readFileSync(join(profileDir, 'config.json'), 'utf8')) as {
      accounts: { label: string }[];
    };
    expect(config.accounts.map((a) => a.label)).toEqual(['carol@example.com']);
    expect(filesWithPassword(profileDir)).toEqual([]);
    expect(output).not.toContain(PASSWORD);
  });

  it('a locked keyring: not mistaken for "no password", nothing saved or removed behind its back', () => {
    const { profileDir, passwordFile } = setup();
    // A keyring session of its own (not the suite's), so locking it touches nothing else.
    const { MAILROOM_KEYRING_SESSION: _outer, ...ownSession } = withoutSessionBus();
    const { report, output } = run(
      'bash',
      [
        join(__dirname, '../../harness/with-keyring-session.sh'),
        'bash',
        join(__dirname, 'support/locked-keyring.sh'),
        process.execPath,
        tsxCli,
        child,
        profileDir,
        passwordFile,
      ],
      ownSession,
    );
    expect(report.accountsBefore).toBe(1);
    expect(report.keychain).toMatchObject({ available: false, reason: 'locked' });
    expect(report.keychain.problem).toMatch(/locked/);
    expect(report.keychain.fix).toMatch(/Unlock/);
    // The saved password reads as null from a locked keyring: reported as locked, not as missing.
    expect(report.credentials).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_LOCKED' } });
    expect(report.addToKeychain).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_LOCKED' } });
    // Removing would leave the password behind in the keychain (delete says false, silently): refused.
    expect(report.remove).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_LOCKED' } });
    expect(report.remove?.error?.message).toMatch(/not removed/);
    expectSessionModeWorks(report);
    const config = JSON.parse(readFileSync(join(profileDir, 'config.json'), 'utf8')) as {
      accounts: { label: string }[];
    };
    expect(config.accounts.map((a) => a.label)).toEqual(['ada@example.com', 'carol@example.com']);
    expect(filesWithPassword(profileDir)).toEqual([]);
    expect(output).not.toContain(PASSWORD);
  });
});
