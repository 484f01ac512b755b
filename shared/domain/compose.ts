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

// RFC 5322 dot-atom text of a local part (printable ASCII without specials).
const ASCII_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// The same with any non-ASCII character allowed as well (RFC 6532), minus controls and spaces.
const UTF8_LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u;

/** The domain in its ASCII (punycode) form, or null when it is not a valid host name. */
export function asciiDomain(domain: string): string | null {
  if (!domain || domain.length > 253) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => !LABEL.test(label))) return null;
  try {
    // WHATWG URL applies IDNA (UTS #46), available in browsers and Node alike.
    const host = new URL(`http://${domain}/`).hostname;
    return /^[a-z0-9.-]+$/.test(host) ? host : null;
  } catch {
    return null;
  }
}

/**
 * Whether an address can be sent to. IDN domains are fine (sent as punycode); a non-ASCII local part
 * needs a server that announces SMTPUTF8: refused when the server says no, a warning when unknown.
 */
export function checkAddress(address: string, smtpUtf8: boolean | null): AddressCheck {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    return { ok: false, reason: `“${address}” is not an email address (expected name@example.com).` };
  }
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64) return { ok: false, reason: `The part before @ in “${address}” is too long.` };
  if (asciiDomain(domain) === null) {
    return { ok: false, reason: `“${domain}” in “${address}” is not a valid domain name.` };
  }
  if (ASCII_LOCAL.test(local)) return { ok: true };
  if (!UTF8_LOCAL.test(local)) {
    return { ok: false, reason: `The part before @ in “${address}” has characters an address cannot hold.` };
  }
  if (smtpUtf8 === false) {
    return {
      ok: false,
      reason: `“${address}” has non-ASCII characters before the @, and your server does not accept those (no SMTPUTF8).`,
    };
  }
  if (smtpUtf8 === null) {
    return {
      ok: true,
      warning: `“${address}” has non-ASCII characters before the @; Mailroom could not yet check that your server accepts them (SMTPUTF8).`,
    };
  }
  return { ok: true };
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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
