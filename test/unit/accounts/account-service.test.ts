import { describe, expect, it } from 'vitest';
import { AccountService } from '../../../electron/core/accounts/account-service';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';

const request = {
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  smtp: { host: 'smtp.example.com', port: 587, security: 'starttls' as const },
  password: 'correct horse battery staple',
};

describe('AccountService', () => {
  it('keeps the password in the secret store and out of the settings', async () => {
    const settings = new InMemorySettingsStore();
    const secrets = new InMemorySecretStore();
    const accounts = new AccountService(settings, secrets);
    const created = await accounts.create(request);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.hasPassword).toBe(true);
    expect(JSON.stringify(created.value)).not.toContain(request.password);
    expect(JSON.stringify(settings.get('accounts'))).not.toContain(request.password);
    expect(await secrets.get(created.value.id)).toBe(request.password);
  });

  it('uses the address as the username when none is given, and makes the first account the default', async () => {
    const accounts = new AccountService(new InMemorySettingsStore(), new InMemorySecretStore());
    const created = await accounts.create(request);
    if (!created.ok) throw new Error('not created');
    expect(created.value.smtp.username).toBe('ada@example.com');
    expect(accounts.defaultAccountId()).toBe(created.value.id);
  });

  it('reports a keychain that answers nothing for a stored password as locked, not as "no password"', async () => {
    const secrets = new InMemorySecretStore();
    const accounts = new AccountService(new InMemorySettingsStore(), secrets);
    const created = await accounts.create(request);
    if (!created.ok) throw new Error('not created');
    await secrets.delete(created.value.id); // what a locked Secret Service looks like to getPassword
    const credentials = await accounts.credentialsFor(created.value.id);
    expect(credentials).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_LOCKED' } });
  });
});
