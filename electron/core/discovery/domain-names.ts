import { domainToASCII } from 'node:url';

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

/** Splits an address into its parts with the domain in ASCII (IDNA) form, or undefined if unusable. */
export function splitAddress(
  email: string,
): { email: string; localPart: string; domain: string } | undefined {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 1 || at === trimmed.length - 1) return undefined;
  const localPart = trimmed.slice(0, at);
  const domain = domainToASCII(
    trimmed
      .slice(at + 1)
      .toLowerCase()
      .replace(/\.$/, ''),
  );
  if (!domain || !domain.includes('.') || /[\s@]/.test(localPart)) return undefined;
  return { email: `${localPart}@${domain}`, localPart, domain };
}
