import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, KeytarSecretStore } from '../../../electron/core/credentials/keytar-secret-store';
import { KeychainMonitor } from '../../../electron/core/credentials/keychain-monitor';
import { openAccounts } from '../../../electron/core/accounts/open-accounts';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';

// The credential store against the real gnome-keyring of the test session (with-keyring-session.sh).
// secret-tool reads the keyring from outside, so these tests do not only believe keytar about keytar.

function lookedUpFromOutside(accountId: string): string | null {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'account', accountId], {
      encoding: 'utf8',
    });
  } catch {
    return null; // secret-tool exits 1 when there is no such item
  }
}

describe('KeytarSecretStore on gnome-keyring', () => {
  it('sets, gets, replaces and deletes one entry per account, leaving other accounts alone', async () => {
    const store = new KeytarSecretStore();
    const ada = `test-${randomUUID()}`;
    const bob = `test-${randomUUID()}`;
    await store.set(ada, 'ada first');
    await store.set(bob, 'bob only');
    expect(await store.get(ada)).toBe('ada first');
    expect(lookedUpFromOutside(ada)).toBe('ada first');

    await store.set(ada, 'ada second');
    expect(await store.get(ada)).toBe('ada second');
    expect(await store.get(bob)).toBe('bob only');

    expect(await store.delete(ada)).toBe(true);
    expect(await store.get(ada)).toBeNull();
    expect(lookedUpFromOutside(ada)).toBeNull();
    expect(await store.get(bob)).toBe('bob only');
    expect(await store.delete(ada)).toBe(false);
    await store.delete(bob);
  });

  it('finds the keychain usable, and the probe leaves no entry behind', async () => {
    const monitor = new KeychainMonitor(new KeytarSecretStore());
    expect(await monitor.status()).toEqual({ available: true });
    expect(lookedUpFromOutside('mailroom-keychain-check')).toBeNull();
  });

  it('keeps the keychain in step with the accounts: create, replace, remove', async () => {
    const secrets = new KeytarSecretStore();
    const { accounts } = openAccounts(new InMemorySettingsStore(), secrets);
    const smtp = { host: 'smtp.example.com', port: 587, security: 'starttls' as const };
    const first = await accounts.create({
      email: 'ada@example.com',
      displayName: 'Ada',
      smtp,
      password: 'pw-ada',
    });
    const second = await accounts.create({
      email: 'bob@example.com',
      displayName: 'Bob',
      smtp,
      password: 'pw-bob',
    });
    if (!first.ok || !second.ok) throw new Error('accounts not created');
    expect(lookedUpFromOutside(first.value.id)).toBe('pw-ada');

    const replaced = await accounts.setPassword({ accountId: first.value.id, password: 'pw-ada-2' });
    expect(replaced).toMatchObject({ ok: true, value: { hasPassword: true, credentialMode: 'keychain' } });
    expect(JSON.stringify(replaced)).not.toContain('pw-ada');
    expect(lookedUpFromOutside(first.value.id)).toBe('pw-ada-2');

    expect((await accounts.remove(first.value.id)).ok).toBe(true);
    expect(lookedUpFromOutside(first.value.id)).toBeNull();
    expect(lookedUpFromOutside(second.value.id)).toBe('pw-bob');
    expect((await accounts.remove(second.value.id)).ok).toBe(true);
    expect(lookedUpFromOutside(second.value.id)).toBeNull();
  });
});
