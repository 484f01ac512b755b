import addressparser from 'nodemailer/lib/addressparser';
import type { Recipient } from '../../../shared/domain/drafts';
import { checkAddress } from '../../../shared/domain/compose';

// addressparser drops control characters, which would turn a pasted "ctl\x01@b.example" into a chip
// for a different address. They are carried through it as private-use characters instead, so the
// address check sees (and refuses) exactly what was typed. Tab and line breaks stay separators.
const PRIVATE_BASE = 0xf0000;
const hideControls = (s: string) =>
  s.replace(/(?![\t\n\r])\p{Cc}/gu, (c) => String.fromCodePoint(PRIVATE_BASE + c.charCodeAt(0)));
const showControls = (s: string) =>
  s.replace(/[\u{f0000}-\u{f009f}]/gu, (c) => String.fromCharCode(c.codePointAt(0)! - PRIVATE_BASE));

/**
 * Turns what the user typed or pasted into recipients with nodemailer's RFC 5322 address parser:
 * `"Doe, Jane" <jane@x.org>, bob@y.com; Team: a@x.org, b@x.org;` gives four recipients (groups are
 * flattened). Line breaks and control characters never survive into a name (header injection).
 */
export function parseRecipients(input: string): Recipient[] {
  if (!input.trim()) return [];
  return addressparser(hideControls(input), { flatten: true })
    .map((entry) => ({
      name: cleanName(showControls(entry.name)),
      address: showControls(entry.address).trim(),
    }))
    .filter((r) => r.address !== '' || r.name !== '')
    .map((r) => (r.address === '' ? { name: '', address: r.name } : r));
}

function cleanName(name: string): string {
  return name
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Same address (case-insensitive) only once; the first occurrence's name wins. */
export function mergeRecipients(existing: Recipient[], added: Recipient[]): Recipient[] {
  const seen = new Set(existing.map((r) => r.address.toLowerCase()));
  const out = [...existing];
  for (const r of added) {
    const key = r.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/** Whether the text typed so far ends a recipient (a separator outside quotes and angle brackets). */
export function endsWithSeparator(input: string): boolean {
  let quoted = false;
  let angle = false;
  let escaped = false;
  let last = '';
  for (const char of input) {
    if (escaped) {
      escaped = false;
    } else if (char === '\\' && quoted) {
      escaped = true;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === '<') {
      angle = true;
    } else if (!quoted && char === '>') {
      angle = false;
    }
    last = quoted || angle ? '' : char;
  }
  return last === ',' || last === ';' || last === '\n';
}

export interface RecipientProblem {
  recipient: Recipient;
  reason: string;
}

/** Problems that block sending, and warnings that do not (non-ASCII local part, server unknown). */
export function checkRecipients(
  recipients: Recipient[],
  smtpUtf8: boolean | null,
): { problems: RecipientProblem[]; warnings: string[] } {
  const problems: RecipientProblem[] = [];
  const warnings: string[] = [];
  for (const recipient of recipients) {
    const check = checkAddress(recipient.address, smtpUtf8);
    if (!check.ok) problems.push({ recipient, reason: check.reason });
    else if (check.warning) warnings.push(check.warning);
  }
  return { problems, warnings };
}
