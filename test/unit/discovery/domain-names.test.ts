import { describe, expect, it } from 'vitest';
import { baseDomain, isWithin, splitAddress } from '../../../electron/core/discovery/domain-names';

describe('domain names for discovery', () => {
  it('finds the organisation behind a mail host', () => {
    expect(baseDomain('alt1.aspmx.l.google.com.')).toBe('google.com');
    expect(baseDomain('mx.mail.example.co.uk')).toBe('example.co.uk');
    expect(baseDomain('smtp.provider.com.au')).toBe('provider.com.au');
    expect(baseDomain('example.com')).toBe('example.com');
  });

  it('treats only whole labels as inside a domain', () => {
    expect(isWithin('smtp.example.com', 'example.com')).toBe(true);
    expect(isWithin('example.com.', 'example.com')).toBe(true);
    expect(isWithin('badexample.com', 'example.com')).toBe(false);
  });

  it('splits an address and turns an international domain into its DNS form', () => {
    expect(splitAddress(' Ann@Example.COM ')).toEqual({
      email: 'Ann@example.com',
      localPart: 'Ann',
      domain: 'example.com',
    });
    expect(splitAddress('jörg@bücher.example')?.domain).toBe('xn--bcher-kva.example');
    expect(splitAddress('no-at-sign')).toBeUndefined();
    expect(splitAddress('a@localhost')).toBeUndefined();
    // The shared address check decides, as everywhere else.
    expect(splitAddress('a@b..example')).toBeUndefined();
    expect(splitAddress('ctl\x01@b.example')).toBeUndefined();
    expect(splitAddress(`${'x'.repeat(70)}@example.com`)).toBeUndefined();
  });
});
