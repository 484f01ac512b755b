import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { AccountSummary } from '../../../../shared/domain/account';
import type { AccountSendingLimits, SendingLimits } from '../../../../shared/domain/mail-merge';
import type { MailroomApi } from '../../../../shared/ipc/contract';
import { SendingLimitsForm } from '../../../../renderer/src/accounts/sending-limits-form';

// The Sending limits section against a stubbed window.mailroom: the provider's published limit with
// its page, the user's own limits sent as numbers (empty = none), refused input never sent.

const account: AccountSummary = {
  id: 'acc-1',
  label: 'ada@gmail.com',
  smtp: {
    host: 'smtp.gmail.com',
    port: 465,
    security: 'tls',
    authMethod: 'password',
    username: 'ada@gmail.com',
    allowUnencrypted: false,
  },
  identities: [{ id: 'id-1', name: 'Ada', address: 'ada@gmail.com', signature: '' }],
  defaultIdentityId: 'id-1',
  hasPassword: true,
  credentialMode: 'keychain',
  verifiedAt: '2026-11-28T10:00:00.000Z',
};

const provider = {
  perMinute: null,
  perDay: 500,
  source: 'provider' as const,
  providerName: 'Gmail',
  sourceUrl: 'https://support.google.com/a/answer/166852',
  note: 'about 500 recipients a day for a personal account',
};

const described = (own: SendingLimits | null): AccountSendingLimits => ({
  accountId: 'acc-1',
  own,
  provider,
  effective: own ? { ...own, source: 'account' } : provider,
});

let api: Record<string, ReturnType<typeof vi.fn>>;

beforeEach(() => {
  api = {
    getSendingLimits: vi.fn(async () => ({ ok: true, value: described(null) })),
    setSendingLimits: vi.fn(async (req: { limits: SendingLimits | null }) => ({
      ok: true,
      value: described(req.limits),
    })),
    openExternal: vi.fn(async () => ({ ok: true, value: {} })),
  };
  window.mailroom = api as unknown as MailroomApi;
});

afterEach(cleanup);

describe('Sending limits in Accounts', () => {
  it("shows the provider's limit with its page, and saves the user's own as numbers", async () => {
    render(<SendingLimitsForm account={account} onClose={() => undefined} />);
    await screen.findByText(/Gmail allows about 500 recipients a day for a personal account/);
    expect(screen.getByText('500 a day').tagName).toBe('STRONG');
    fireEvent.click(screen.getByRole('button', { name: 'Gmail’s page on sending limits' }));
    expect(api['openExternal']).toHaveBeenCalledWith({ url: provider.sourceUrl });

    fireEvent.change(screen.getByLabelText('Messages a minute'), { target: { value: '20' } });
    fireEvent.change(screen.getByLabelText('Messages a day'), { target: { value: ' 400 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save limits' }));
    await screen.findByText('Limits saved.');
    expect(api['setSendingLimits']).toHaveBeenCalledWith({
      accountId: 'acc-1',
      limits: { perMinute: 20, perDay: 400 },
    });
    expect(screen.getByText('20 a minute and 400 a day').tagName).toBe('STRONG');

    // Back to the provider's: the user's own are cleared, not set to zero.
    fireEvent.click(screen.getByRole('button', { name: 'Use Gmail’s limits' }));
    await screen.findByText('500 a day');
    expect(api['setSendingLimits']).toHaveBeenLastCalledWith({ accountId: 'acc-1', limits: null });
  });

  it('refuses what is not a whole number of at least 1, and sends nothing', async () => {
    render(<SendingLimitsForm account={account} onClose={() => undefined} />);
    await screen.findByLabelText('Messages a day');
    for (const wrong of ['0', '2.5', 'many', '-3']) {
      fireEvent.change(screen.getByLabelText('Messages a day'), { target: { value: wrong } });
      fireEvent.click(screen.getByRole('button', { name: 'Save limits' }));
      expect(screen.getByRole('alert').textContent).toMatch(/whole numbers of at least 1/);
    }
    expect(api['setSendingLimits']).not.toHaveBeenCalled();
  });

  it('says what the limit being typed means for a list, and gives an example until it is a number', async () => {
    render(<SendingLimitsForm account={account} onClose={() => undefined} />);
    const field = await screen.findByLabelText('Messages a minute');
    const help = () => screen.getByText(/^Spread evenly:/).textContent;
    expect(help()).toBe('Spread evenly: 20 a minute is one every 3 seconds. Empty: no limit.');
    fireEvent.change(field, { target: { value: '30' } });
    expect(help()).toBe('Spread evenly: 30 a minute is one every 2 seconds. Empty: no limit.');
    fireEvent.change(field, { target: { value: '7' } });
    expect(help()).toMatch(/^Spread evenly: 7 a minute is one every 8[.,]6 seconds\./);
    fireEvent.change(field, { target: { value: '120' } });
    expect(help()).toBe('Spread evenly: 120 a minute is 2 a second. Empty: no limit.');
    fireEvent.change(field, { target: { value: 'lots' } });
    expect(help()).toBe('Spread evenly: 20 a minute is one every 3 seconds. Empty: no limit.');
  });
});
