import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { DeliveryCheck } from '../../../../shared/domain/delivery-check';
import type { MailroomApi } from '../../../../shared/ipc/contract';
import { DeliveryCheckSection } from '../../../../renderer/src/setup/delivery-check';

// The delivery-check section in jsdom against a stubbed window.mailroom: which request it makes,
// what it says first, and that a compact (Accounts) section opens by itself only when something fails.

const failing: DeliveryCheck = {
  from: 'ada@corp.test',
  domain: 'corp.test',
  smtpHost: 'smtp.fastmail.com',
  serverAddresses: ['192.0.2.20'],
  provider: 'Fastmail',
  checks: [
    { kind: 'spf', status: 'warn', words: 'SPF words.', hint: 'SPF fix.' },
    {
      kind: 'dmarc',
      status: 'fail',
      words: 'DMARC words.',
      hint: 'DMARC fix.',
      record: 'v=DMARC1; p=reject',
    },
  ],
  note: 'DKIM note.',
};
const passing: DeliveryCheck = {
  ...failing,
  checks: failing.checks.map((c) => ({ ...c, status: 'pass' as const, hint: '' })),
};

let checkDelivery: ReturnType<typeof vi.fn>;
beforeEach(() => {
  checkDelivery = vi.fn(async () => ({ ok: true, value: failing }));
  window.mailroom = { checkDelivery } as unknown as MailroomApi;
});
afterEach(cleanup);

describe('DeliveryCheckSection', () => {
  it('asks for this From and server, says the worst first, then each verdict with its fix', async () => {
    render(<DeliveryCheckSection from="ada@corp.test" smtpHost="smtp.fastmail.com" smtpPort={465} />);
    const region = screen.getByRole('region', { name: 'Delivery check for ada@corp.test' });
    expect(within(region).getByRole('status').textContent).toMatch(
      /Reading corp\.test’s SPF and DMARC records/,
    );
    await within(region).findByText('DMARC words.');
    expect(checkDelivery).toHaveBeenCalledWith({
      from: 'ada@corp.test',
      smtpHost: 'smtp.fastmail.com',
      smtpPort: 465,
    });
    expect(region.textContent).toContain(
      'Mail from ada@corp.test sent through Fastmail is likely to be rejected or put in spam.',
    );
    expect(region.textContent).toContain('Fix: DMARC fix.');
    expect(region.textContent).toContain('v=DMARC1; p=reject');
    expect(region.textContent).toContain('DKIM note. This is advice: it never stops you saving or sending.');
  });

  it('in Accounts, opens by itself when a check fails and stays one line when all pass', async () => {
    const { unmount } = render(
      <DeliveryCheckSection compact level={5} from="ada@corp.test" smtpHost="smtp.fastmail.com" />,
    );
    await screen.findByText('DMARC words.');
    expect(document.querySelector('details')?.open).toBe(true);
    unmount();
    checkDelivery.mockResolvedValue({ ok: true, value: passing });
    render(<DeliveryCheckSection compact level={5} from="ada@good.test" smtpHost="smtp.fastmail.com" />);
    await vi.waitFor(() => expect(document.querySelectorAll('.delivery-chip')).toHaveLength(2));
    expect(document.querySelector('details')?.open).toBe(false);
  });

  it('checks again when the address changes, and never shows the old result for the new one', async () => {
    const { rerender } = render(<DeliveryCheckSection from="ada@corp.test" smtpHost="smtp.fastmail.com" />);
    await screen.findByText('DMARC words.');
    let release: (v: unknown) => void = () => undefined;
    checkDelivery.mockImplementation(() => new Promise((r) => (release = r)));
    rerender(<DeliveryCheckSection from="ada@other.test" smtpHost="smtp.fastmail.com" />);
    expect(screen.queryByText('DMARC words.')).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/Reading other\.test’s/);
    release({ ok: true, value: { ...passing, from: 'ada@other.test', domain: 'other.test' } });
    await vi.waitFor(() =>
      expect(screen.getByRole('region').textContent).toMatch(/passes other\.test’s SPF and DMARC/),
    );
    expect(checkDelivery).toHaveBeenLastCalledWith({ from: 'ada@other.test', smtpHost: 'smtp.fastmail.com' });
  });
});
