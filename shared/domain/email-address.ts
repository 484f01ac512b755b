import { parse } from 'smtp-address-parser';
import { quoteValue } from './quoted-value';

/**
 * The one address check every host uses (core, CLI, renderer): an address is what RFC 5321 lets us
 * put in MAIL FROM / RCPT TO, with RFC 6531 (SMTPUTF8) for Unicode.
 *
 * - Grammar: smtp-address-parser's RFC 5321 Mailbox (dot-string or quoted-string local part, LDH or
 *   U-label domain). Our own code only adds what it does not say in words: which rule was broken.
 * - Lengths in octets (RFC 5321 4.5.3.1): local part <= 64, domain <= 255, each label <= 63, the whole
 *   address <= 254 (a path is at most 256 with its angle brackets).
 * - The domain needs a dot: a single label ("a@b", "bob@localhost") is always a typo for us.
 * - Address literals ("user@[192.0.2.1]") are refused: submission servers refuse or misroute them and
 *   a person sending mail never means one; the message says to use the domain name.
 * - Unicode: an IDN domain is accepted and goes out as punycode (A-labels, as nodemailer does for an
 *   ASCII local part); a non-ASCII local part is accepted but flagged `needsSmtpUtf8`, because only a
 *   server announcing SMTPUTF8 can take it (nodemailer then adds SMTPUTF8 to MAIL FROM).
 * - Control characters (and line/paragraph separators, bidi overrides) are refused, never stripped.
 */

export interface EmailAddress {
  /** As given. */
  address: string;
  local: string;
  domain: string;
  /** The domain in its ASCII (A-label, punycode) form, lower case. */
  asciiDomain: string;
  /** The address as it goes out: the local part as given, the domain in A-labels. */
  wire: string;
  /** The local part has non-ASCII characters: only a server that announces SMTPUTF8 takes it. */
  needsSmtpUtf8: boolean;
  /** The domain has non-ASCII labels (it is sent as punycode). */
  internationalDomain: boolean;
}

export type EmailAddressCheck =
  | { ok: true; value: EmailAddress }
  | {
      ok: false;
      /** What is wrong, in a phrase: "the part before @ is longer than 64 characters (it has 70)". */
      problem: string;
      /** A whole sentence naming the (cut) address and the problem. */
      message: string;
    };

const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;
const MAX_LABEL = 63;
const MAX_ADDRESS = 254;

// C0, DEL, C1, line/paragraph separators and bidi embeddings/overrides/isolates: invisible characters
// that change what a reader sees or what a header line holds.
const CONTROL = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const NON_ASCII = /[^\p{ASCII}]/u;

const encoder = new TextEncoder();
const octets = (s: string): number => encoder.encode(s).length;

function lengthProblem(what: string, limit: number, s: string): string | null {
  const n = octets(s);
  if (n <= limit) return null;
  const unit = NON_ASCII.test(s) ? 'bytes' : 'characters';
  return `${what} is longer than ${limit} ${unit} (it has ${n})`;
}

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (CONTROL.test(c))
    return `a control character (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  return `“${c}”`;
}

/** The domain in A-labels via WHATWG URL (UTS #46), which browsers and Node both have. */
function toAsciiDomain(domain: string): string | null {
  try {
    const host = new URL(`http://${domain}/`).hostname;
    return /^[a-z0-9.-]+$/.test(host) ? host : null;
  } catch {
    return null;
  }
}

/**
 * The DNS limits apply to the A-label form, so a Unicode domain's lengths are checked once it is
 * converted (`lengths` false before that).
 */
function domainProblem(domain: string, lengths: boolean): string | null {
  if (domain.startsWith('[')) {
    return 'an IP address in brackets is not accepted after the @; use the domain name';
  }
  const tooLong = lengths ? lengthProblem('the domain', MAX_DOMAIN, domain) : null;
  if (tooLong) return tooLong;
  const labels = domain.split('.');
  if (labels.length < 2) return `the domain ${quoteValue(domain)} has no dot (expected one like example.com)`;
  if (labels.some((l) => l === '')) {
    return domain.endsWith('.')
      ? 'the domain ends with a dot'
      : domain.startsWith('.')
        ? 'the domain starts with a dot'
        : 'the domain has two dots in a row';
  }
  for (const label of labels) {
    const long = lengths ? lengthProblem(`the domain part ${quoteValue(label, 20)}`, MAX_LABEL, label) : null;
    if (long) return long;
    if (label.startsWith('-') || label.endsWith('-')) {
      return `the domain part ${quoteValue(label, 20)} starts or ends with a hyphen`;
    }
  }
  return null;
}

function localProblem(local: string): string | null {
  const tooLong = lengthProblem('the part before @', MAX_LOCAL, local);
  if (tooLong) return tooLong;
  if (local.startsWith('"')) return null; // quoted: the grammar decides
  if (local.startsWith('.')) return 'the part before @ starts with a dot';
  if (local.endsWith('.')) return 'the part before @ ends with a dot';
  if (local.includes('..')) return 'the part before @ has two dots in a row';
  return null;
}

/** What the grammar refused, placed on the side of the @ it is on. */
function grammarProblem(error: unknown, at: number): string {
  const { offset, token, message } = error as {
    offset?: number;
    token?: { value?: unknown };
    message?: string;
  };
  if (typeof offset === 'number' && typeof token?.value === 'string') {
    const what = describeChar(token.value);
    return offset < at
      ? `the part before @ has ${what}, which an address cannot hold unquoted`
      : `the domain has ${what}, which a domain name cannot hold`;
  }
  if (message === 'top level domain label too short')
    return 'the last part of the domain is a single character';
  return 'it does not have the form name@example.com';
}

function refuse(address: string, problem: string): EmailAddressCheck {
  return { ok: false, problem, message: `${quoteValue(address)} is not a valid email address: ${problem}.` };
}

/**
 * Answers already given, by address. One message asks about the same addresses several times (the
 * draft's check, the message built from it, the envelope, the recipient book; a merge's preview and
 * then its start for every row), and the grammar is most of what a send costs before its files are
 * written. An answer depends on nothing but the string, so it is kept, frozen (callers share it).
 * Bounded: the least recently asked goes first. Sized for a merge's rows asked twice (preview, then
 * start) plus the rest of the session's addresses, a few MB at most.
 */
const answers = new Map<string, EmailAddressCheck>();
const MAX_ANSWERS = 5000;

/** Checks one address exactly as given (no trimming: callers trim what a person typed). */
export function checkEmailAddress(address: string): EmailAddressCheck {
  const known = answers.get(address);
  if (known) {
    // Re-inserted: a Map keeps insertion order, so the first key is the least recently asked.
    answers.delete(address);
    answers.set(address, known);
    return known;
  }
  const answer = checkOnce(address);
  // Huge input (a pasted paragraph) is refused before the grammar and not worth keeping.
  if (address.length > 4 * MAX_ADDRESS) return answer;
  if (answers.size >= MAX_ANSWERS) answers.delete(answers.keys().next().value!);
  if (answer.ok) Object.freeze(answer.value);
  answers.set(address, Object.freeze(answer));
  return answer;
}

function checkOnce(address: string): EmailAddressCheck {
  if (address === '') return refuse(address, 'it is empty');
  const control = CONTROL.exec(address);
  if (control) return refuse(address, `it contains ${describeChar(control[0])}`);
  const at = address.lastIndexOf('@');
  if (at < 0) return refuse(address, 'it has no @ (expected name@example.com)');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return refuse(address, 'there is nothing before the @');
  if (domain === '') return refuse(address, 'there is nothing after the @');
  // Keeps the parser away from huge input (a pasted paragraph) before anything else is looked at.
  if (address.length > 4 * MAX_ADDRESS)
    return refuse(address, lengthProblem('the address', MAX_ADDRESS, address)!);
  const ascii = !NON_ASCII.test(address);
  const early =
    localProblem(local) ??
    domainProblem(domain, ascii) ??
    (ascii ? lengthProblem('the address', MAX_ADDRESS, address) : null);
  if (early) return refuse(address, early);
  try {
    parse(address);
  } catch (error) {
    return refuse(address, grammarProblem(error, at));
  }
  const asciiDomain = toAsciiDomain(domain);
  if (asciiDomain === null) {
    return refuse(address, `the domain ${quoteValue(domain)} is not a valid domain name`);
  }
  // Punycode can make a label or the domain longer than it looks.
  const asciiProblem = domainProblem(asciiDomain, true);
  if (asciiProblem) return refuse(address, asciiProblem);
  const wire = `${local}@${asciiDomain}`;
  const whole = lengthProblem('the address', MAX_ADDRESS, wire);
  if (whole) return refuse(address, whole);
  return {
    ok: true,
    value: {
      address,
      local,
      domain,
      asciiDomain,
      wire,
      needsSmtpUtf8: NON_ASCII.test(local),
      internationalDomain: NON_ASCII.test(domain),
    },
  };
}
