import { describe, expect, it } from 'vitest';
import { EmailAddressSchema } from '../../../shared/domain/account';
import { checkEmailAddress } from '../../../shared/domain/email-address';
import { quoteValue } from '../../../shared/domain/quoted-value';

// The one address rule every host uses. Each refusal says what is wrong, in words a person can act on.

const label63 = 'a'.repeat(63);

const valid: [string, { wire?: string; needsSmtpUtf8?: boolean; internationalDomain?: boolean }][] = [
  ['jane@example.org', { wire: 'jane@example.org', needsSmtpUtf8: false }],
  ['first.last+tag@mail.example.co.uk', {}],
  ["o'brien!#$%&*/=?^_`{|}~-@example.org", {}],
  ['"john doe"@example.org', {}],
  ['"a\\"b"@example.org', {}],
  ['Jane@Example.ORG', { wire: 'Jane@example.org' }],
  [`${'x'.repeat(64)}@example.org`, {}],
  [`a@${label63}.${label63}.${label63}.${'a'.repeat(56)}.org`, {}], // 254 in all
  [
    'info@bücher.example',
    { wire: 'info@xn--bcher-kva.example', needsSmtpUtf8: false, internationalDomain: true },
  ],
  ['jörg@bücher.example', { wire: 'jörg@xn--bcher-kva.example', needsSmtpUtf8: true }],
  ['δοκιμή@παράδειγμα.δοκιμή', { needsSmtpUtf8: true, internationalDomain: true }],
  ['用户@例子.广告', { needsSmtpUtf8: true }],
  ['a@xn--bcher-kva.example', { wire: 'a@xn--bcher-kva.example', internationalDomain: false }],
];

const invalid: [string, RegExp][] = [
  ['', /it is empty/],
  ['jane', /it has no @/],
  ['@example.org', /nothing before the @/],
  ['jane@', /nothing after the @/],
  ['a@b', /the domain “b” has no dot/],
  ['bob@localhost', /has no dot/],
  [`${'x'.repeat(70)}@example.org`, /the part before @ is longer than 64 characters \(it has 70\)/],
  [`${'ü'.repeat(33)}@example.org`, /the part before @ is longer than 64 bytes \(it has 66\)/],
  [`a@${'a'.repeat(252)}.example`, /the domain is longer than 255 characters/],
  [`a@${'a'.repeat(64)}.example`, /the domain part “a{20}…” is longer than 63 characters/],
  [
    `a@${label63}.${label63}.${label63}.${'a'.repeat(57)}.org`,
    /the address is longer than 254 characters \(it has 255\)/,
  ],
  [
    `a@${'ü'.repeat(60)}x.${'ü'.repeat(60)}x.${'ü'.repeat(60)}x.${'ü'.repeat(60)}x.de`,
    /the domain is longer than 255|longer than 254/,
  ],
  ['a@b..example', /the domain has two dots in a row/],
  ['a@.example.org', /the domain starts with a dot/],
  ['a@example.org.', /the domain ends with a dot/],
  ['a..b@example.org', /the part before @ has two dots in a row/],
  ['.a@example.org', /the part before @ starts with a dot/],
  ['a.@example.org', /the part before @ ends with a dot/],
  ['ctl\x01@b.example', /it contains a control character \(U\+0001\)/],
  ['a@b.exam\x7fple', /control character \(U\+007F\)/],
  ['line\nbreak@example.org', /control character \(U\+000A\)/],
  ['"ctl\x01"@example.org', /control character/],
  ['evil\u202e@example.org', /control character \(U\+202E\)/],
  ['a b@example.org', /the part before @ has a space/],
  ['a,b@example.org', /the part before @ has “,”/],
  ['<a@example.org>', /the part before @ has “<”/],
  ['a@exa_mple.org', /the domain has “_”, which a domain name cannot hold/],
  ['a@-example.org', /“-example” starts or ends with a hyphen/],
  ['a@example-.org', /starts or ends with a hyphen/],
  ['a@example.o', /the last part of the domain is a single character/],
  ['a@1.2.3.4', /single character|not a valid domain name/],
  ['a@example.123', /not a valid domain name/],
  ['a@xn--zz.example', /the domain “xn--zz.example” is not a valid domain name/],
  ['user@[192.0.2.1]', /an IP address in brackets is not accepted after the @; use the domain name/],
  ['user@[IPv6:2001:db8::1]', /IP address in brackets/],
  ['x'.repeat(5000), /no @/],
  [`${'x'.repeat(5000)}@example.org`, /longer than 64 characters|longer than 254/],
];

describe('the shared email address check', () => {
  it.each(valid)('accepts %s', (address, expected) => {
    const check = checkEmailAddress(address);
    expect(check).toMatchObject({ ok: true, value: { address, ...expected } });
  });

  it.each(invalid)('refuses %j', (address, problem) => {
    const check = checkEmailAddress(address);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toMatch(problem);
    // One sentence: the (cut) address, then what is wrong.
    expect(check.message).toBe(`${quoteValue(address)} is not a valid email address: ${check.problem}.`);
    expect(check.message.length).toBeLessThan(260);
    expect(check.message).not.toMatch(/\p{Cc}/u);
  });

  it('is what the contract schema refuses with, so every host words it the same', () => {
    expect(EmailAddressSchema.safeParse('  jane@example.org \n').data).toBe('jane@example.org');
    const parsed = EmailAddressSchema.safeParse('a@b..example');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      '“a@b..example” is not a valid email address: the domain has two dots in a row.',
    );
  });

  it('shows control characters in a quoted value and cuts a long one', () => {
    expect(quoteValue('ctl\x01x')).toBe('“ctl\\u{1}x”');
    expect(quoteValue('y'.repeat(61))).toBe(`“${'y'.repeat(60)}…”`);
    expect(quoteValue('y'.repeat(60))).toBe(`“${'y'.repeat(60)}”`);
  });
});
