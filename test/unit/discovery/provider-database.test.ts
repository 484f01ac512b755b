import { describe, expect, it } from 'vitest';
import {
  PROVIDERS,
  ProviderSchema,
  allProviders,
  findProviderByDomain,
  findProviderByMx,
} from '../../../shared/providers';

describe('embedded provider database', () => {
  it('has at least 40 providers, every one valid and with an https instructions link', () => {
    expect(PROVIDERS.length).toBeGreaterThanOrEqual(40);
    for (const p of PROVIDERS) {
      const parsed = ProviderSchema.safeParse(p);
      expect(parsed.success, `${p.id}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
    expect(allProviders()).toHaveLength(PROVIDERS.length);
  });

  it('lists no domain twice and reaches every entry by domain or by MX', () => {
    const seen = new Set<string>();
    for (const p of allProviders()) {
      for (const d of p.domains) {
        expect(seen.has(d), `${d} listed twice`).toBe(false);
        seen.add(d);
      }
      expect(p.domains.length + p.mxPatterns.length, `${p.id} is unreachable`).toBeGreaterThan(0);
    }
  });

  it('says how to sign in whenever the provider refuses the normal password', () => {
    for (const p of allProviders().filter((x) => x.auth.kind !== 'password')) {
      expect(p.notes.length, `${p.id} needs a note on sign-in`).toBeGreaterThan(0);
    }
  });

  it.each([
    ['gmail.com', 'gmail', 'smtp.gmail.com', 465, 'tls'],
    ['googlemail.com', 'gmail', 'smtp.gmail.com', 465, 'tls'],
    ['hotmail.com', 'outlook-com', 'smtp-mail.outlook.com', 587, 'starttls'],
    ['live.com', 'outlook-com', 'smtp-mail.outlook.com', 587, 'starttls'],
    ['msn.com', 'outlook-com', 'smtp-mail.outlook.com', 587, 'starttls'],
    ['me.com', 'icloud', 'smtp.mail.me.com', 587, 'starttls'],
    ['mac.com', 'icloud', 'smtp.mail.me.com', 587, 'starttls'],
    ['gmx.de', 'gmx-de', 'mail.gmx.net', 587, 'starttls'],
    ['gmx.net', 'gmx-de', 'mail.gmx.net', 587, 'starttls'],
    ['gmx.com', 'gmx-com', 'mail.gmx.com', 587, 'starttls'],
    ['web.de', 'web-de', 'smtp.web.de', 587, 'starttls'],
    ['proton.me', 'proton-bridge', '127.0.0.1', 1025, 'starttls'],
    ['126.com', 'netease-126', 'smtp.126.com', 465, 'tls'],
    ['fastmail.fm', 'fastmail', 'smtp.fastmail.com', 465, 'tls'],
  ] as const)('%s is %s (%s:%i %s)', (domain, id, host, port, security) => {
    const p = findProviderByDomain(domain);
    expect(p?.id).toBe(id);
    expect(p?.smtp).toEqual({ host, port, security });
  });

  it('matches domains however the user typed them', () => {
    expect(findProviderByDomain('GMail.COM.')?.id).toBe('gmail');
    expect(findProviderByDomain('example.com')).toBeUndefined();
  });

  it('tells which apps need an app password or OAuth2', () => {
    expect(findProviderByDomain('gmail.com')?.auth).toEqual({
      kind: 'app-password-required',
      oauth2Available: true,
    });
    expect(findProviderByDomain('outlook.com')?.auth.kind).toBe('oauth2');
    // As ISPDB has them: naver.com signs in with the whole address, web.de with the part before the @.
    expect(findProviderByDomain('naver.com')?.username).toBe('address');
    expect(findProviderByDomain('web.de')?.username).toBe('local-part');
  });

  it.each([
    ['aspmx.l.google.com', 'google-workspace'],
    ['alt1.aspmx.l.google.com.', 'google-workspace'],
    ['smtp.google.com', 'google-workspace'],
    ['contoso-com.mail.protection.outlook.com', 'microsoft-365'],
    ['in1-smtp.messagingengine.com', 'fastmail'],
    ['mx01.mail.icloud.com', 'icloud'],
    ['mx.zoho.eu', 'zoho-business-eu'],
    ['mail.protonmail.ch', 'proton-bridge'],
  ])('MX %s is %s', (mx, id) => {
    expect(findProviderByMx(mx)?.id).toBe(id);
  });

  it('matches MX patterns on whole labels only', () => {
    expect(findProviderByMx('evilgoogle.com')).toBeUndefined();
    expect(findProviderByMx('google.com.attacker.test')).toBeUndefined();
    expect(findProviderByMx('mx.example.org')).toBeUndefined();
  });
});
