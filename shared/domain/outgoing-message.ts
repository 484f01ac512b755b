import { convert } from 'html-to-text';
import { z } from 'zod';
import { EmailAddressSchema, HeaderTextSchema } from './account';
import { checkEmailAddress } from './email-address';
import type { DraftContent, Recipient } from './drafts';

// What a draft becomes when it is sent: its addresses as they go out, its two bodies (the HTML
// alternative and a faithful text/plain one), and the one schema the message is checked against
// before it is queued. The core builds the message from the saved draft; compose uses the same
// functions for what it shows, so what is shown is what is sent.

/** An address as it goes out: IDN domains in their ASCII form, which every server accepts. */
export function wireAddress(r: Recipient): string {
  const check = checkEmailAddress(r.address);
  // An invalid address is kept as typed, so the check names it exactly as the user wrote it.
  return check.ok ? check.value.wire : r.address;
}

/** Display names by outgoing address, for To and Cc (Bcc names never appear in the message). */
export function displayNamesOf(recipients: readonly Recipient[]): Record<string, string> {
  const displayNames: Record<string, string> = {};
  for (const r of recipients) if (r.name) displayNames[wireAddress(r)] = r.name;
  return displayNames;
}

// An empty paragraph is a blank line the user typed. Converters (and browsers: an empty <p> has no
// height) collapse it, so it is marked before conversion and the mark removed after.
const BLANK_LINE_MARK = '\uE000';
const EMPTY_PARAGRAPH = /<p>(?:\s|<br\s*\/?>)*<\/p>/gi;

/**
 * The editor shows paragraphs without a gap (one Enter, one line; an empty paragraph is a blank
 * line): the text part does the same, line for line.
 */
export function htmlToPlainText(html: string): string {
  if (!html.trim()) return '';
  const marked = html.replace(EMPTY_PARAGRAPH, `<p>${BLANK_LINE_MARK}</p>`);
  const block = { leadingLineBreaks: 1, trailingLineBreaks: 1 };
  const heading = { ...block, uppercase: false };
  return (
    convert(marked, {
      // Keep the user's own lines: wrapping would change the message (and QP copes with long lines).
      wordwrap: false,
      selectors: [
        { selector: 'p', options: block },
        { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
        { selector: 'ul', options: { ...block, itemPrefix: '* ' } },
        { selector: 'ol', options: block },
        { selector: 'h1', options: heading },
        { selector: 'h2', options: heading },
        { selector: 'h3', options: heading },
        { selector: 'blockquote', options: { ...block, trimEmptyLines: false } },
      ],
    })
      .split(BLANK_LINE_MARK)
      .join('')
      .replace(/^((?:> ?)*>) $/gm, '$1')
      // The converter trims lines; the signature separator is "-- " with its space (RFC 3676).
      .replace(/^--$/gm, '-- ')
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Plain text as editor paragraphs (switching a plain message to rich, inserting a signature). */
export function plainTextToHtml(text: string): string {
  if (!text) return '';
  return text
    .split('\n')
    .map((line) => (line ? `<p>${escapeHtml(line)}</p>` : '<p></p>'))
    .join('');
}

/**
 * How the editor lays a message out, for the sent HTML: no gap between paragraphs, quotes with a bar,
 * headings with a little room. compose.css gives the editor the same values; keep them together.
 */
export const MESSAGE_STYLE =
  'p{margin:0}' +
  'blockquote{margin:0 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex}' +
  'ul,ol{margin:0;padding-left:24px}' +
  'h1,h2,h3{margin:.5em 0 .25em;line-height:1.25}' +
  'h1{font-size:1.6em}h2{font-size:1.3em}h3{font-size:1.1em}';

/**
 * The HTML alternative as sent: the editor's fragment in a document with the editor's spacing. An
 * empty paragraph gets a <br> so it keeps the height of a line, as it has in the editor (an empty
 * <p> has none in a browser). Paragraphs also carry their spacing inline, for clients that drop a
 * message's <style>. A complete document (an HTML file given to the command line) is sent as it is.
 */
export function messageHtml(fragment: string): string {
  if (/^\s*(<!doctype html|<html[\s>])/i.test(fragment)) return fragment;
  const body = fragment.replace(EMPTY_PARAGRAPH, '<p><br></p>').replace(/<p>/g, '<p style="margin:0">');
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<style>${MESSAGE_STYLE}</style>` +
    `</head><body>${body}</body></html>`
  );
}

/** The signature block for a new message ("-- " line, RFC 3676), or nothing when there is none. */
export function signatureText(signature: string): string {
  const sig = signature.replace(/\r\n?/g, '\n').trimEnd();
  return sig ? `\n\n-- \n${sig}` : '';
}

/** A subject is one header line: line breaks typed or pasted become spaces (header injection). */
export const stripLineBreaks = (s: string): string => s.replace(/[\r\n]+/g, ' ');

/** A message as the outbox queues it, checked before anything is written. */
export const OutgoingMessageSchema = z.object({
  accountId: z.string().min(1, 'Choose who the message is from'),
  identityId: z.string().optional(),
  to: z.array(EmailAddressSchema).min(1, 'Add at least one recipient'),
  cc: z.array(EmailAddressSchema).default([]),
  bcc: z.array(EmailAddressSchema).default([]),
  subject: HeaderTextSchema,
  /** A draft's body (5,000,000) with room for its rendering as a message. */
  text: z.string().max(6_000_000),
  html: z.string().max(6_000_000).optional(),
  /** Display names for To/Cc addresses, keyed by address ("Doe, Jane" for jane@x.org). */
  displayNames: z.record(z.string(), HeaderTextSchema).optional(),
});
export type OutgoingMessage = z.infer<typeof OutgoingMessageSchema>;

/** The message a saved draft is sent as (before the check against OutgoingMessageSchema). */
export function outgoingMessageOf(draft: DraftContent): z.input<typeof OutgoingMessageSchema> {
  return {
    accountId: draft.accountId,
    ...(draft.identityId ? { identityId: draft.identityId } : {}),
    to: draft.to.map(wireAddress),
    cc: draft.cc.map(wireAddress),
    bcc: draft.bcc.map(wireAddress),
    displayNames: displayNamesOf([...draft.to, ...draft.cc]),
    subject: stripLineBreaks(draft.subject),
    // A rich draft keeps its text rendering (compose saves it with every change; the command line
    // may give its own); one without gets it from the HTML.
    text: draft.mode === 'plain' ? draft.text : draft.text || htmlToPlainText(draft.html),
    ...(draft.mode === 'rich' ? { html: messageHtml(draft.html) } : {}),
  };
}
