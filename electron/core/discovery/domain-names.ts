import { checkEmailAddress } from '../../../shared/domain/email-address';

/**
 * Domain helpers for discovery. Without the full public-suffix list we use a small rule that is
 * right for the hosts that matter here (provider MX and settings hosts): the last two labels, or
 * three when the second-level label is a generic one under a country code ("co.uk", "com.au").
 */

const GENERIC_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'ne', 'or', 'go']);

/** "mail.example.co.uk." -> "example.co.uk". */
export function baseDomain(host: string): string {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1] ?? '';
  const second = labels[labels.length - 2] ?? '';
  const take = tld.length === 2 && GENERIC_SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** True when `host` is `domain` or one of its subdomains. */
export function isWithin(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return h === d || h.endsWith(`.${d}`);
}

/**
 * Splits an address into its parts with the domain in ASCII (IDNA) form, or undefined if it is not
 * one mail can go to (the shared address check decides; a trailing dot after the domain is dropped).
 */
export function splitAddress(
  email: string,
): { email: string; localPart: string; domain: string } | undefined {
  const check = checkEmailAddress(email.trim().replace(/\.$/, ''));
  if (!check.ok) return undefined;
  const { local, asciiDomain } = check.value;
  return { email: `${local}@${asciiDomain}`, localPart: local, domain: asciiDomain };
}
