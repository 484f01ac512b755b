import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../../shared/external-url';

describe('external links', () => {
  it('opens https links', () => {
    expect(isAllowedExternalUrl('https://support.google.com/mail/answer/185833')).toBe(true);
  });
  it.each([
    'http://example.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://user:pw@example.com',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});
