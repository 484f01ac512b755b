import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { DEFAULT_PORT } from '../../../shared/domain/smtp-settings';
import type { ServerFieldValues } from './server-settings-fields';

/** The server step's values, with a certificate the user chose to trust. */
export interface ServerForm extends ServerFieldValues {
  trustedFingerprint?: string | undefined;
  trustedCertificatePem?: string | undefined;
}

export type ServerField = keyof ServerFieldValues;

/** How the provider spells the username: the whole address, or the part before the @. */
export type UsernameForm = 'address' | 'local-part';

export const EMPTY_SERVER: ServerForm = {
  host: '',
  port: String(DEFAULT_PORT.tls),
  security: 'tls',
  username: '',
  allowUnencrypted: false,
};

/** The username an address signs in with, in the provider's form. */
export function usernameFor(email: string, form: UsernameForm): string {
  const address = email.trim();
  if (form === 'local-part') return address.slice(0, address.lastIndexOf('@')) || address;
  return address;
}

/** The domain of an address as typed, lower-cased ("" when there is none yet). */
export function domainOf(email: string): string {
  const address = email.trim();
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : address.slice(at + 1).toLowerCase();
}

/** Which form the discovered username has, read from what discovery filled in for this address. */
export function usernameFormOf(result: DiscoveryResult, email: string): UsernameForm {
  const username = result.settings?.username?.trim() ?? '';
  if (username && username !== email.trim() && username === usernameFor(email, 'local-part'))
    return 'local-part';
  return 'address';
}

/**
 * Discovered settings over the form: only the fields the user has not touched change, so a lookup
 * never throws away what they typed. A trusted certificate stays only while the server it was
 * trusted for stays.
 */
export function mergeDiscovered(
  current: ServerForm,
  touched: ReadonlySet<ServerField>,
  result: DiscoveryResult,
): ServerForm {
  const found = result.settings;
  if (!found) return current;
  const discovered: ServerFieldValues = {
    host: found.host,
    port: String(found.port),
    security: found.security,
    username: found.username ?? '',
    allowUnencrypted: false,
  };
  const next: ServerForm = { ...current };
  for (const field of Object.keys(discovered) as ServerField[]) {
    if (!touched.has(field)) (next as unknown as Record<string, unknown>)[field] = discovered[field];
  }
  if (next.host !== current.host) {
    next.trustedFingerprint = undefined;
    next.trustedCertificatePem = undefined;
  }
  return next;
}
