import { convert } from 'html-to-text';

// The two bodies of a rich message: the HTML alternative and a faithful text/plain one. The editor
// shows paragraphs without a gap (one Enter, one line, as in most mail programs), so the text part
// gives each paragraph one line and the HTML part carries the same spacing in its style sheet.

export function htmlToPlainText(html: string): string {
  if (!html.trim()) return '';
  return convert(html, {
    // Keep the user's own lines: wrapping would change the message (and QP copes with long lines).
    wordwrap: false,
    selectors: [
      { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
      { selector: 'ul', options: { itemPrefix: '* ' } },
      {
        selector: 'blockquote',
        options: { leadingLineBreaks: 1, trailingLineBreaks: 1, trimEmptyLines: true },
      },
    ],
  }).replace(/\n{3,}/g, '\n\n');
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

/** The HTML alternative as sent: the editor's fragment in a document with the editor's spacing. */
export function messageHtml(fragment: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    '<style>p{margin:0}blockquote{margin:0 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex}</style>' +
    `</head><body>${fragment}</body></html>`
  );
}

/** The signature block for a new message ("-- " line, RFC 3676), or nothing when there is none. */
export function signatureText(signature: string): string {
  const sig = signature.replace(/\r\n?/g, '\n').trimEnd();
  return sig ? `\n\n-- \n${sig}` : '';
}
