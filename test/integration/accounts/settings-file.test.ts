import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/mailroom-core';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';

// The settings file through the real conf store on a temp profile: migrations, and what a corrupt or
// hand-edited config.json does (a clear error naming the file, a backup, never a silent reset).

function profile(contents?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-settings-'));
  const file = join(dir, 'config.json');
  if (contents !== undefined) writeFileSync(file, contents);
  const core = createCore({
    profileDir: dir,
    settings: openConfSettingsStore(dir),
    secrets: new InMemorySecretStore(),
  });
  const appState = () => core.handlers.getAppState({}, { emit: () => undefined });
  return { dir, file, core, appState, siblings: () => readdirSync(dir).filter((f) => f !== 'config.json') };
}

/** The walking skeleton's file: no schemaVersion, identities without signatures. */
const V1_FILE = {
  accounts: [
    {
      id: 'acc-1',
      label: 'ada@example.com',
      smtp: {
        host: 'smtp.example.com',
        port: 587,
        security: 'starttls',
        authMethod: 'password',
        username: 'ada@example.com',
        allowUnencrypted: false,
      },
      identities: [{ id: 'id-1', name: 'Ada Lovelace', address: 'ada@example.com', replyTo: '' }],
      defaultIdentityId: 'id-gone',
      credentialMode: 'keychain',
      secretStored: true,
    },
  ],
  defaultAccountId: 'acc-removed-by-hand',
};

describe('settings file (conf on a temp profile)', () => {
  it('migrates a version 1 file to version 2, keeping every account and a copy of the old file', async () => {
    const original = JSON.stringify(V1_FILE, null, 2);
    const { file, appState, siblings, dir } = profile(original);
    const state = await appState();
    expect(state.ok).toBe(true);
    if (!state.ok) return;
    expect(state.value.accounts).toHaveLength(1);
    expect(state.value.accounts[0]).toMatchObject({
      id: 'acc-1',
      defaultIdentityId: 'id-1',
      identities: [{ id: 'id-1', name: 'Ada Lovelace', signature: '' }],
      hasPassword: true,
    });
    expect(state.value.accounts[0]!.identities[0]).not.toHaveProperty('replyTo');
    expect(state.value.defaultAccountId).toBe('acc-1');

    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(written['schemaVersion']).toBe(2);
    expect(written['defaultAccountId']).toBe('acc-1');
    const backups = siblings().filter((f) => f.startsWith('config.json.v1-backup-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(original);

    // Opening the migrated file again changes nothing and makes no second copy.
    const reopened = createCore({
      profileDir: dir,
      settings: openConfSettingsStore(dir),
      secrets: new InMemorySecretStore(),
    });
    expect((await reopened.handlers.getAppState({}, { emit: () => undefined })).ok).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(written);
    expect(readdirSync(dir).filter((f) => f.includes('backup'))).toHaveLength(1);
  });

  it('stamps a new profile with the current schema version on its first save', async () => {
    const { file, core } = profile();
    const created = await core.handlers.createAccount(
      {
        email: 'ada@example.com',
        displayName: 'Ada',
        smtp: {
          host: 'smtp.example.com',
          port: 465,
          security: 'tls',
          authMethod: 'none',
          username: '',
          allowUnencrypted: false,
        },
        credentialMode: 'keychain',
      },
      { emit: () => undefined },
    );
    expect(created.ok).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      schemaVersion: 2,
      accounts: [{ label: 'ada@example.com' }],
    });
  });

  it('reports a file that is not valid JSON, keeps a backup, leaves the file alone, and recovers once fixed', async () => {
    const broken = JSON.stringify(V1_FILE).slice(0, -20); // a truncated write, or a bad hand edit
    const { file, dir, core, appState, siblings } = profile(broken);
    const state = await appState();
    expect(state.ok).toBe(false);
    if (state.ok) return;
    expect(state.error.code).toBe('SETTINGS_CORRUPT');
    expect(state.error.message).toContain(file);
    expect(state.error.message).toMatch(/not valid JSON/);
    expect(state.error.message).toMatch(/Nothing was reset/);
    const backups = siblings().filter((f) => /^config\.json\.corrupt-\d{4}-\d\d-\d\dT/.test(f));
    expect(backups).toHaveLength(1);
    expect(state.error.message).toContain(join(dir, backups[0]!));
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(broken);

    // Saving is refused too: an account added now would overwrite the others.
    const create = await core.handlers.createAccount(
      {
        email: 'bob@example.com',
        displayName: 'Bob',
        smtp: {
          host: 'smtp.example.com',
          port: 465,
          security: 'tls',
          authMethod: 'none',
          username: '',
          allowUnencrypted: false,
        },
        credentialMode: 'keychain',
      },
      { emit: () => undefined },
    );
    expect(create).toMatchObject({ ok: false, error: { code: 'SETTINGS_CORRUPT' } });
    expect(readFileSync(file, 'utf8')).toBe(broken);
    // Asking again does not pile up copies.
    await appState();
    expect(siblings().filter((f) => f.startsWith('config.json.corrupt-'))).toHaveLength(1);

    // The user repairs the file: the same running host picks it up.
    writeFileSync(file, JSON.stringify(V1_FILE));
    const repaired = await appState();
    expect(repaired.ok && repaired.value.accounts.map((a) => a.id)).toEqual(['acc-1']);
  });

  it('reports hand-edited JSON with accounts in an unknown shape, naming the field', async () => {
    const edited = JSON.stringify({
      schemaVersion: 2,
      accounts: [
        {
          ...V1_FILE.accounts[0],
          smtp: { host: 'smtp.example.com', port: 'five-eight-seven', security: 'starttls' },
        },
      ],
    });
    const { file, appState, siblings } = profile(edited);
    const state = await appState();
    expect(state).toMatchObject({ ok: false, error: { code: 'SETTINGS_CORRUPT' } });
    if (!state.ok) expect(state.error.message).toMatch(/accounts\.0\.smtp\.port/);
    expect(siblings().some((f) => f.startsWith('config.json.corrupt-'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('treats a file that is JSON but not a settings object (null, a list) as corrupt instead of emptying it', async () => {
    for (const contents of ['null', '[1,2]']) {
      const { file, appState } = profile(contents);
      expect(await appState()).toMatchObject({ ok: false, error: { code: 'SETTINGS_CORRUPT' } });
      expect(readFileSync(file, 'utf8')).toBe(contents);
    }
  });

  it('refuses a file written by a newer Mailroom and leaves it unchanged', async () => {
    const newer = JSON.stringify({ ...V1_FILE, schemaVersion: 99 });
    const { file, appState } = profile(newer);
    const state = await appState();
    expect(state).toMatchObject({ ok: false, error: { code: 'SETTINGS_TOO_NEW' } });
    if (!state.ok) expect(state.error.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(newer);
  });
});
