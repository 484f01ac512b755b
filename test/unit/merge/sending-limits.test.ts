import { describe, expect, it } from 'vitest';
import { SendingLimitsBook } from '../../../electron/core/merge/sending-limits';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import type { AccountSummary } from '../../../shared/domain/account';
import { allProviders } from '../../../shared/providers';

const account = (address: string, host: string) =>
  ({
    id: 'a1',
    identities: [{ id: 'i1', name: 'Ada', address }],
    smtp: { host, port: 465, security: 'tls' },
  }) as unknown as AccountSummary;

describe('sending limits', () => {
  it('every provider limit in the curated data names a limit and the page that states it', () => {
    const limited = allProviders().filter((p) => p.sendingLimits);
    expect(limited.map((p) => p.id)).toEqual(
      expect.arrayContaining(['gmail', 'google-workspace', 'outlook-com', 'microsoft-365', 'icloud']),
    );
    for (const p of limited) {
      expect(p.sendingLimits!.perDay ?? p.sendingLimits!.perMinute, p.id).toBeGreaterThan(0);
      expect(p.sendingLimits!.sourceUrl, p.id).toMatch(/^https:\/\//);
    }
  });

  it("uses the provider's limit for its addresses, the user's own over it, and the provider's again once cleared", () => {
    const settings = new InMemorySettingsStore();
    let current = account('ada@outlook.com', 'smtp-mail.outlook.com');
    const book = new SendingLimitsBook(settings, () => current);
    expect(book.effective('a1')).toMatchObject({
      perDay: 300,
      perMinute: null,
      source: 'provider',
      providerName: 'Outlook.com',
    });
    book.set('a1', { perMinute: 10, perDay: null });
    expect(book.effective('a1')).toEqual({ perMinute: 10, perDay: null, source: 'account' });
    expect(settings.get('sendingLimits')).toEqual({ a1: { perMinute: 10, perDay: null } });
    book.set('a1', null);
    expect(book.describe('a1')).toMatchObject({ own: null, effective: { source: 'provider' } });
    // A custom domain on Google's server gets Gmail's (lower) limit: the safe guess.
    current = account('ada@example.org', 'smtp.gmail.com');
    expect(book.effective('a1')).toMatchObject({ perDay: 500, providerName: 'Gmail' });
    current = account('ada@example.org', 'mail.example.org');
    expect(book.effective('a1')).toEqual({ perMinute: null, perDay: null, source: 'none' });
  });
});
