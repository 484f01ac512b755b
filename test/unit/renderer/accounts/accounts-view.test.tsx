import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { AccountSummary } from '../../../../shared/domain/account';
import type { MailroomApi } from '../../../../shared/ipc/contract';
import { AccountsView } from '../../../../renderer/src/accounts/accounts-view';

// The accounts UI in jsdom against a stubbed window.mailroom: what the user sees and which requests
// reach the core.

const account: AccountSummary = {
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
  identities: [{ id: 'id-1', name: 'Ada Lovelace', address: 'ada@example.com', signature: '' }],
  defaultIdentityId: 'id-1',
  hasPassword: true,
  credentialMode: 'keychain',
  verifiedAt: '2026-11-28T10:00:00.000Z',
};
const other: AccountSummary = {
  ...account,
  id: 'acc-2',
  label: 'ada@work.example',
  identities: [{ ...account.identities[0]!, id: 'id-2', address: 'ada@work.example' }],
  defaultIdentityId: 'id-2',
};

let api: Record<string, ReturnType<typeof vi.fn>>;

beforeEach(() => {
  api = {
    removeAccount: vi.fn(async () => ({ ok: true, value: {} })),
    updateAccount: vi.fn(async (req: { accountId: string }) => ({
      ok: true,
      value: { ...account, id: req.accountId },
    })),
    setDefaultAccount: vi.fn(async () => ({ ok: true, value: {} })),
    setAccountPassword: vi.fn(async () => ({ ok: true, value: account })),
    addIdentity: vi.fn(async () => ({ ok: true, value: account })),
    // Each identity row runs the delivery check (SPF/DMARC); these tests are about other things.
    checkDelivery: vi.fn(async (req: { from: string; smtpHost: string }) => ({
      ok: true,
      value: {
        from: req.from,
        domain: 'example.com',
        smtpHost: req.smtpHost,
        serverAddresses: [],
        checks: [],
      },
    })),
  };
  window.mailroom = api as unknown as MailroomApi;
});
afterEach(cleanup);

describe('AccountsView', () => {
  it('asks before removing an account, says the saved password is deleted too, and can be cancelled', async () => {
    const onChanged = vi.fn();
    render(
      <AccountsView
        accounts={[account, other]}
        defaultAccountId="acc-1"
        onAdd={() => undefined}
        onChanged={onChanged}
      />,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Remove ada@example.com' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove ada@example.com?' });
    expect(dialog.textContent).toMatch(/saved password is deleted from the system keychain too/);
    expect(api['removeAccount']).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api['removeAccount']).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Remove ada@example.com' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove account' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api['removeAccount']).toHaveBeenCalledWith({ accountId: 'acc-1' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('shows the re-verification note when editing, and sends changed server settings', async () => {
    const onChanged = vi.fn();
    render(
      <AccountsView
        accounts={[account]}
        defaultAccountId="acc-1"
        onAdd={() => undefined}
        onChanged={onChanged}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit settings of ada@example.com' }));
    const form = screen.getByRole('form', { name: 'Settings for ada@example.com' });
    expect(form.textContent).toMatch(/check the settings with the server again \(re-verification\)/);

    fireEvent.change(within(form).getByLabelText('Security'), { target: { value: 'tls' } });
    expect((within(form).getByLabelText('Port') as HTMLInputElement).value).toBe('465');
    fireEvent.click(within(form).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api['updateAccount']).toHaveBeenCalledWith({
      accountId: 'acc-1',
      label: 'ada@example.com',
      smtp: expect.objectContaining({ host: 'smtp.example.com', port: 465, security: 'tls' }),
    });
  });

  it('marks an account whose settings changed since the last check, and one that needs its password', () => {
    render(
      <AccountsView
        accounts={[{ ...account, verifiedAt: undefined, hasPassword: false, credentialMode: 'session' }]}
        defaultAccountId="acc-1"
        onAdd={() => undefined}
      />,
    );
    const card = screen.getByRole('listitem', { name: 'ada@example.com' });
    expect(card.textContent).toMatch(/Needs re-verification/);
    expect(card.textContent).toMatch(/Password needed/);
    expect(within(card).getByRole('button', { name: 'Change password of ada@example.com' }).textContent).toBe(
      'Enter password',
    );
  });

  it('without a keychain: says what is missing and how to fix it, and offers session-only for a new password', async () => {
    const keychain = {
      available: false,
      reason: 'locked' as const,
      problem: 'Your keyring is locked.',
      fix: 'Unlock the “Login” keyring.',
    };
    render(
      <AccountsView
        accounts={[account]}
        defaultAccountId="acc-1"
        keychain={keychain}
        onAdd={() => undefined}
        onChanged={() => undefined}
      />,
    );
    expect(screen.getAllByText(/Your keyring is locked/).length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Change password of ada@example.com' }));
    const form = screen.getByRole('form', { name: 'Password for ada@example.com' });
    expect((within(form).getByLabelText('New password') as HTMLInputElement).value).toBe('');
    expect(within(form).getByRole('radio', { name: /system keychain/ })).toHaveProperty('disabled', true);
    expect(within(form).getByRole('radio', { name: /this session only/ })).toHaveProperty('checked', true);
    fireEvent.change(within(form).getByLabelText('New password'), { target: { value: 'hunter2' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save password' }));
    await waitFor(() =>
      expect(api['setAccountPassword']).toHaveBeenCalledWith({
        accountId: 'acc-1',
        password: 'hunter2',
        credentialMode: 'session',
      }),
    );
  });

  it('adds an identity with a reply-to and a signature', async () => {
    render(
      <AccountsView
        accounts={[account]}
        defaultAccountId="acc-1"
        onAdd={() => undefined}
        onChanged={() => undefined}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Identities and signatures of ada@example.com' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add identity' }));
    const form = screen.getByRole('form', { name: 'Add an identity' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Ada (Society)' } });
    fireEvent.change(within(form).getByLabelText('Send as address'), {
      target: { value: 'ada@society.example' },
    });
    fireEvent.change(within(form).getByLabelText('Reply-to address'), {
      target: { value: 'office@society.example' },
    });
    // The signature is a rich editor (ProseMirror), typed into by the e2e tests in Chromium.
    expect(within(form).getByRole('textbox', { name: 'Signature' })).toBeTruthy();
    fireEvent.click(within(form).getByRole('button', { name: 'Save identity' }));
    await waitFor(() =>
      expect(api['addIdentity']).toHaveBeenCalledWith({
        accountId: 'acc-1',
        identity: {
          name: 'Ada (Society)',
          address: 'ada@society.example',
          replyTo: 'office@society.example',
          signature: '',
          signatureHtml: '',
        },
      }),
    );
  });
});
