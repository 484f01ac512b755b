import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { AccountSummary } from '../../../../shared/domain/account';
import type { MailroomApi } from '../../../../shared/ipc/contract';
import { AccountsView } from '../../../../renderer/src/accounts/accounts-view';

// OAuth2 accounts in Accounts (jsdom, stubbed window.mailroom): how the account signs in, "Sign in
// again" through the same sign-in as the wizard, and "Sign out" only after the user confirmed.

const gmail: AccountSummary = {
  id: 'acc-g',
  label: 'ada@gmail.com',
  smtp: {
    host: 'smtp.gmail.com',
    port: 465,
    security: 'tls',
    authMethod: 'oauth2',
    username: 'ada@gmail.com',
    allowUnencrypted: false,
  },
  identities: [{ id: 'id-g', name: 'Ada Lovelace', address: 'ada@gmail.com', signature: '' }],
  defaultIdentityId: 'id-g',
  hasPassword: true,
  credentialMode: 'keychain',
  verifiedAt: '2026-11-28T10:00:00.000Z',
};
const withPassword: AccountSummary = {
  ...gmail,
  id: 'acc-p',
  label: 'ada@example.com',
  smtp: { ...gmail.smtp, host: 'smtp.example.com', authMethod: 'password', username: 'ada@example.com' },
  identities: [{ ...gmail.identities[0]!, id: 'id-p', address: 'ada@example.com' }],
  defaultIdentityId: 'id-p',
};

let api: Record<string, ReturnType<typeof vi.fn>>;
let awaitAnswer: { signInId: string; service: 'google'; serviceName: string; account?: AccountSummary };

beforeEach(() => {
  awaitAnswer = { signInId: 'sign-in-1', service: 'google', serviceName: 'Google', account: gmail };
  api = {
    getOAuthStatus: vi.fn(async () => ({
      ok: true,
      value: { supported: true, configured: true, service: 'google', serviceName: 'Google' },
    })),
    startOAuthSignIn: vi.fn(async () => ({
      ok: true,
      value: {
        signInId: 'sign-in-1',
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth?state=s',
        timeoutMs: 300_000,
        opened: true,
      },
    })),
    awaitOAuthSignIn: vi.fn(async () => ({ ok: true, value: awaitAnswer })),
    cancelOAuthSignIn: vi.fn(async () => ({ ok: true, value: {} })),
    saveOAuthSignIn: vi.fn(async () => ({ ok: true, value: gmail })),
    signOutOAuth: vi.fn(async () => ({
      ok: true,
      value: { account: { ...gmail, hasPassword: false }, revoked: true },
    })),
    setDefaultAccount: vi.fn(async () => ({ ok: true, value: {} })),
  };
  window.mailroom = api as unknown as MailroomApi;
});
afterEach(cleanup);

function show(accounts: AccountSummary[], onChanged = vi.fn()) {
  render(
    <AccountsView
      accounts={accounts}
      defaultAccountId={accounts[0]?.id}
      onAdd={() => undefined}
      onChanged={onChanged}
    />,
  );
  return onChanged;
}

describe('AccountsView with an OAuth2 account', () => {
  it('says how the account signs in, and offers sign-in and sign-out instead of a password', () => {
    show([gmail, withPassword]);
    const card = screen.getByRole('listitem', { name: 'ada@gmail.com' });
    expect(card.textContent).toMatch(/Signed in with Google/);
    expect(within(card).getByRole('button', { name: 'Sign in again for ada@gmail.com' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Sign out ada@gmail.com' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: /Change password/ })).toBeNull();

    // A password account is as before.
    const other = screen.getByRole('listitem', { name: 'ada@example.com' });
    expect(other.textContent).toMatch(/Password saved in the system keychain/);
    expect(within(other).getByRole('button', { name: 'Change password of ada@example.com' })).toBeTruthy();
    expect(within(other).queryByRole('button', { name: /Sign in again|Sign out/ })).toBeNull();
  });

  it('signs in again for this account through the browser sign-in, then reloads the account', async () => {
    const onChanged = show([gmail]);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again for ada@gmail.com' }));
    const panel = screen.getByRole('group', { name: 'Sign in again for ada@gmail.com' });
    fireEvent.click(await within(panel).findByRole('button', { name: 'Sign in with Google' }));

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api['getOAuthStatus']).toHaveBeenCalledWith({ providerId: 'gmail' });
    expect(api['startOAuthSignIn']).toHaveBeenCalledWith({
      providerId: 'gmail',
      loginHint: 'ada@gmail.com',
      accountId: 'acc-g',
    });
    expect(api['awaitOAuthSignIn']).toHaveBeenCalledWith({ signInId: 'sign-in-1' });
    // The core saved the new grant to the account already (it was started with the accountId).
    expect(api['saveOAuthSignIn']).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toMatch(
      /Signed in again: ada@gmail\.com sends with the new Google sign-in/,
    );
  });

  it('saves the finished sign-in to the account when the core has not done so yet', async () => {
    delete awaitAnswer.account;
    const onChanged = show([gmail]);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again for ada@gmail.com' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with Google' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api['saveOAuthSignIn']).toHaveBeenCalledWith({ signInId: 'sign-in-1', accountId: 'acc-g' });
  });

  it('asks before signing out, saying sending stops until the user signs in again, and can be cancelled', async () => {
    const onChanged = show([gmail]);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out ada@gmail.com' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Sign out ada@gmail.com?' });
    expect(dialog.textContent).toMatch(/Sending from ada@gmail\.com stops until you sign in again/);
    expect(dialog.textContent).toMatch(/system keychain/);
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api['signOutOAuth']).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api['signOutOAuth']).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out ada@gmail.com' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api['signOutOAuth']).toHaveBeenCalledWith({ accountId: 'acc-g' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/Signed out of ada@gmail\.com/);
  });

  it('when signed out, puts "Sign in again" first and says nothing is sent until then', () => {
    show([{ ...gmail, hasPassword: false }]);
    const card = screen.getByRole('listitem', { name: 'ada@gmail.com' });
    expect(card.textContent).toMatch(
      /Not signed in: nothing is sent from this account until you sign in with Google/,
    );
    const buttons = within(card).getAllByRole('button');
    expect(buttons[0]?.getAttribute('aria-label')).toBe('Sign in again for ada@gmail.com');
    expect(buttons[0]?.className).toContain('primary');
    expect(within(card).queryByRole('button', { name: 'Sign out ada@gmail.com' })).toBeNull();
  });
});
