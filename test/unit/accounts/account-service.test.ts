import { describe, expect, it } from 'vitest';
import type { AccountService } from '../../../electron/core/accounts/account-service';
import { openAccounts } from '../../../electron/core/accounts/open-accounts';
import { InMemorySecretStore, type SecretStore } from '../../../electron/core/credentials/secret-store';
import { KeychainError, describeKeychainFailure } from '../../../electron/core/credentials/keychain-errors';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import type { CreateAccountRequest } from '../../../shared/ipc/contract';

const request = {
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  smtp: { host: 'smtp.example.com', port: 587, security: 'starttls' as const },
  password: 'correct horse battery staple',
};

/** A keychain that fails the way a machine without a Secret Service does. */
class NoKeychain implements SecretStore {
  private fail(): never {
    throw new KeychainError(
      describeKeychainFailure(
        new Error('The name org.freedesktop.secrets was not provided by any .service files'),
      ),
    );
  }
  async get(): Promise<string | null> {
    return this.fail();
  }
  async set(): Promise<void> {
    this.fail();
  }
  async delete(): Promise<boolean> {
    return this.fail();
  }
}

function setup(secrets: SecretStore = new InMemorySecretStore(), settings = new InMemorySettingsStore()) {
  return { settings, secrets, ...openAccounts(settings, secrets) };
}

async function created(accounts: AccountService, overrides: Partial<CreateAccountRequest> = {}) {
  const result = await accounts.create({ ...request, ...overrides });
  if (!result.ok) throw new Error(`not created: ${result.error.message}`);
  return result.value;
}

describe('AccountService', () => {
  it('keeps the password in the secret store and out of the settings', async () => {
    const { settings, secrets, accounts } = setup();
    const account = await created(accounts);
    expect(account.hasPassword).toBe(true);
    expect(JSON.stringify(account)).not.toContain(request.password);
    expect(JSON.stringify(settings.get('accounts'))).not.toContain(request.password);
    expect(await secrets.get(account.id)).toBe(request.password);
  });

  it('uses the address as the username when none is given, and makes the first account the default', async () => {
    const { accounts } = setup();
    const account = await created(accounts);
    expect(account.smtp.username).toBe('ada@example.com');
    expect(accounts.defaultAccountId()).toBe(account.id);
  });

  it('reports a keychain that answers nothing for a stored password as locked, not as "no password"', async () => {
    const { secrets, accounts, credentials: resolver } = setup();
    const account = await created(accounts);
    await secrets.delete(account.id); // what a locked Secret Service looks like to getPassword
    const credentials = await resolver.credentialsFor(account.id);
    expect(credentials).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_LOCKED' } });
  });

  it('clears the verification when server settings change, and keeps it for a new name only', async () => {
    const { accounts } = setup();
    const account = await created(accounts, {});
    await accounts.update({ accountId: account.id, verifiedAt: '2026-11-28T10:00:00Z' });
    const renamed = await accounts.update({ accountId: account.id, label: 'Work' });
    expect(renamed).toMatchObject({ ok: true, value: { label: 'Work', verifiedAt: '2026-11-28T10:00:00Z' } });
    const sameServer = await accounts.update({ accountId: account.id, smtp: account.smtp });
    expect(sameServer.ok && sameServer.value.verifiedAt).toBe('2026-11-28T10:00:00Z');
    const moved = await accounts.update({
      accountId: account.id,
      smtp: { ...account.smtp, port: 465, security: 'tls' },
    });
    expect(moved.ok).toBe(true);
    if (moved.ok) {
      expect(moved.value.smtp.port).toBe(465);
      expect(moved.value.verifiedAt).toBeUndefined();
    }
  });

  it('replaces the password, and sets the default account', async () => {
    const { secrets, accounts } = setup();
    const first = await created(accounts);
    const second = await created(accounts, { email: 'ada@work.example' });
    expect((await accounts.setPassword({ accountId: first.id, password: 'new one' })).ok).toBe(true);
    expect(await secrets.get(first.id)).toBe('new one');
    expect(await secrets.get(second.id)).toBe(request.password);
    expect(accounts.defaultAccountId()).toBe(first.id);
    await accounts.setDefault(second.id);
    expect(accounts.defaultAccountId()).toBe(second.id);
  });

  it('removes an account with its keychain entry and moves the default to a remaining account', async () => {
    const { secrets, accounts } = setup();
    const first = await created(accounts);
    const second = await created(accounts, { email: 'ada@work.example' });
    expect(await accounts.remove(first.id)).toEqual({ ok: true, value: {} });
    expect(await secrets.get(first.id)).toBeNull();
    expect(await secrets.get(second.id)).toBe(request.password);
    expect(accounts.list().map((a) => a.id)).toEqual([second.id]);
    expect(accounts.defaultAccountId()).toBe(second.id);
    expect(await accounts.remove(first.id)).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_NOT_FOUND' },
    });
  });

  it('edits identities: add, update (clearing reply-to), default, remove; never the last one', async () => {
    const { accounts, credentials: resolver } = setup();
    const account = await created(accounts);
    const added = await accounts.addIdentity({
      accountId: account.id,
      identity: {
        name: 'Ada (Society)',
        address: 'ada@society.example',
        replyTo: 'office@society.example',
        signature: '-- \nAda',
      },
    });
    if (!added.ok) throw new Error(added.error.message);
    const identity = added.value.identities[1]!;
    expect(identity).toMatchObject({
      address: 'ada@society.example',
      replyTo: 'office@society.example',
      signature: '-- \nAda',
    });

    const edited = await accounts.updateIdentity({
      accountId: account.id,
      identityId: identity.id,
      replyTo: '',
      signature: 'Best, Ada',
    });
    expect(edited.ok && edited.value.identities[1]).toEqual({
      ...identity,
      replyTo: undefined,
      signature: 'Best, Ada',
    });

    await accounts.setDefaultIdentity(account.id, identity.id);
    const credentials = await resolver.credentialsFor(account.id);
    expect(credentials.ok && credentials.value.identity).toMatchObject({
      address: 'ada@society.example',
      signature: 'Best, Ada',
    });

    const removed = await accounts.removeIdentity(account.id, identity.id);
    expect(removed.ok && removed.value.defaultIdentityId).toBe(account.defaultIdentityId);
    const last = await accounts.removeIdentity(account.id, account.defaultIdentityId);
    expect(last).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await accounts.setDefaultIdentity(account.id, 'nope')).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_NOT_FOUND' },
    });
  });

  it('without a keychain: says so plainly, saves nothing, and offers a session-only password', async () => {
    const { settings, accounts, credentials: resolver } = setup(new NoKeychain());
    const state = await accounts.state();
    expect(state.ok && state.value.keychain).toMatchObject({ available: false, reason: 'no-secret-service' });
    expect(state.ok && state.value.keychain.fix).toMatch(/gnome-keyring/);

    const refused = await accounts.create(request);
    expect(refused).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect(settings.get('accounts')).toBeUndefined();

    const account = await created(accounts, { credentialMode: 'session' });
    expect(account).toMatchObject({ credentialMode: 'session', hasPassword: true });
    expect(JSON.stringify(settings.get('accounts'))).not.toContain(request.password);
    const credentials = await resolver.credentialsFor(account.id);
    expect(credentials.ok && credentials.value.password).toBe(request.password);

    // Next start: same settings, fresh process memory -> the password is asked for again.
    const restarted = setup(new NoKeychain(), settings);
    expect(restarted.accounts.list()[0]).toMatchObject({ credentialMode: 'session', hasPassword: false });
    expect(await restarted.credentials.credentialsFor(account.id)).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_MISSING' },
    });
    await restarted.accounts.setPassword({ accountId: account.id, password: 'again', credentialMode: 'session' });
    const again = await restarted.credentials.credentialsFor(account.id);
    expect(again.ok && again.value.password).toBe('again');
  });

  it('refuses to remove an account whose saved password cannot be deleted, and says why', async () => {
    const settings = new InMemorySettingsStore();
    const working = setup(new InMemorySecretStore(), settings).accounts;
    const account = await created(working);
    const withoutKeychain = setup(new NoKeychain(), settings).accounts;
    const result = await withoutKeychain.remove(account.id);
    expect(result).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    if (!result.ok) expect(result.error.message).toMatch(/not removed.*password/);
    expect(withoutKeychain.list()).toHaveLength(1);
  });
});
