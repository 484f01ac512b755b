import { checkEmailAddress } from './email-address';
import { quoteValue } from './quoted-value';

/**
 * Compose rules shared by the compose window (to explain) and the core (to enforce): what a valid
 * recipient address is, and how big a message may get. Pure functions; no DOM, no Node.
 */

/** Providers commonly refuse messages above this even when they announce no SIZE limit. */
export const DEFAULT_SIZE_WARNING_BYTES = 25 * 1024 * 1024;

/** Base64 turns 3 bytes into 4 and adds a line break every 76 characters. */
export function encodedSize(bytes: number): number {
  const base64 = Math.ceil(bytes / 3) * 4;
  return base64 + Math.ceil(base64 / 76) * 2;
}

export type AddressCheck = { ok: true; warning?: string } | { ok: false; reason: string };

/**
 * Whether compose can send to an address: the shared address check, plus what the account's server
 * says about SMTPUTF8. IDN domains are fine (sent as punycode); a non-ASCII local part needs a server
 * that announces SMTPUTF8: refused when the server says no, a warning when unknown.
 */
export function checkAddress(address: string, smtpUtf8: boolean | null): AddressCheck {
  const check = checkEmailAddress(address);
  if (!check.ok) return { ok: false, reason: check.message };
  if (!check.value.needsSmtpUtf8 || smtpUtf8 === true) return { ok: true };
  if (smtpUtf8 === false) {
    return {
      ok: false,
      reason: `${quoteValue(address)} has non-ASCII characters before the @, and your server does not accept those (no SMTPUTF8).`,
    };
  }
  return {
    ok: true,
    warning: `${quoteValue(address)} has non-ASCII characters before the @; Mailroom could not yet check that your server accepts them (SMTPUTF8).`,
  };
}

/** "Doe, Jane" <jane@x.org>: a mailbox as header text, quoting the name when it needs it. */
export function formatMailbox(recipient: { name?: string | undefined; address: string }): string {
  const name = (recipient.name ?? '').replace(/[\r\n]+/g, ' ').trim();
  if (!name) return recipient.address;
  const quoted = /^[\p{L}\p{N} !#$%&'*+/=?^_`{|}~-]+$/u.test(name)
    ? name
    : `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return `${quoted} <${recipient.address}>`;
}

