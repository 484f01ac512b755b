import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProfileCore } from '../../../electron/core/profile';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { runCli } from '../cli/support/run-cli';

// The profile holds accounts, drafts and every message: 0700, and 0600 for each file in it, made
// with real files by the real CLI and core (under the usual umask 022, which alone would give 0755/0644).

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mailroom-modes-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => (lstatSync(path).mode & 0o777).toString(8);

/** Every directory and file under `dir` (itself included), with its mode in octal. */
function modes(dir: string): Record<string, string> {
  const found: Record<string, string> = { '.': mode(dir) };
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      found[relative(dir, path)] = mode(path);
      if (lstatSync(path).isDirectory()) walk(path);
    }
  };
  walk(dir);
  return found;
}

function expectPrivate(dir: string): void {
  const all = modes(dir);
  expect(Object.keys(all).length).toBeGreaterThan(1);
  for (const [path, m] of Object.entries(all)) {
    expect(`${path} ${m}`).toBe(`${path} ${lstatSync(join(dir, path)).isDirectory() ? '700' : '600'}`);
  }
}

const account = (email: string) => ({
  email,
  displayName: 'Ada',
  smtp: {
    host: '127.0.0.1',
    port: 587,
    security: 'starttls',
    authMethod: 'password',
    username: '',
    allowUnencrypted: false,
  },
  password: 'unused',
  credentialMode: 'session',
});

describe('profile permissions', () => {
  it('a profile made through the CLI is 0700 with 0600 files (settings, outbox)', async () => {
    const profile = join(root, 'cli-profile');
    const added = await runCli(
      [
        'accounts',
        'add',
        '--email',
        'ada@example.com',
        '--host',
        '127.0.0.1',
        '--port',
        '587',
        '--security',
        'starttls',
        '--no-verify',
        '--password-stdin',
        '--profile',
        profile,
        '--json',
      ],
      { input: 'not-a-real-password' },
    );
    expect(added.code, added.stderr).toBe(0);
    const queued = await runCli([
      'send',
      '--to',
      'bob@example.org',
      '--subject',
      'Hi',
      '--text',
      'Hello',
      '--queue-only',
      '--profile',
      profile,
      '--json',
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(Object.keys(modes(profile))).toEqual(expect.arrayContaining(['config.json', 'outbox']));
    expectPrivate(profile);
  });

  it('a profile made through the core is 0700 with 0600 files (settings, drafts, recipients, outbox)', async () => {
    const profile = join(root, 'core-profile');
    const core = openProfileCore(profile, new InMemorySecretStore(), { deliverOutbox: false });
    const noEmit = { emit: () => undefined };
    const created = await core.handlers.createAccount(account('ada@example.com') as never, noEmit);
    expect(created.ok).toBe(true);
    if (!created.ok) throw new Error(created.error.message);
    const draft = await core.handlers.createDraft(
      { accountId: created.value.id, subject: 'Plans', to: [{ name: 'Bob', address: 'bob@example.org' }] },
      noEmit,
    );
    if (!draft.ok) throw new Error(draft.error.message);
    // Sending remembers the recipients (recipients.json) and queues the message (outbox/).
    expect(await core.handlers.sendDraft({ draftId: draft.value.id, undo: true }, noEmit)).toMatchObject({
      ok: true,
    });
    await core.handlers.createDraft({ subject: 'Kept' }, noEmit);
    expect(Object.keys(modes(profile))).toEqual(
      expect.arrayContaining(['config.json', 'recipients.json', 'drafts']),
    );
    expectPrivate(profile);
  });

  it('tightens a profile an earlier version left 0755 with 0644 files when it is opened', async () => {
    const profile = join(root, 'old-profile');
    mkdirSync(join(profile, 'drafts'), { recursive: true });
    writeFileSync(join(profile, 'config.json'), JSON.stringify({ accounts: [] }));
    writeFileSync(join(profile, 'drafts', 'old.json'), '{}');
    chmodSync(profile, 0o755);
    chmodSync(join(profile, 'drafts'), 0o755);
    chmodSync(join(profile, 'config.json'), 0o644);
    chmodSync(join(profile, 'drafts', 'old.json'), 0o644);
    const listed = await runCli(['accounts', 'list', '--profile', profile, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(modes(profile)).toMatchObject({
      '.': '700',
      'config.json': '600',
      drafts: '700',
      'drafts/old.json': '600',
    });
    expectPrivate(profile);
  });
});
