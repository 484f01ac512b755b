import DOMPurify from 'dompurify';

/**
 * What a message body may hold: the formatting the editor offers and nothing else. Pasted HTML (from a
 * web page, a word processor, another mail) and drafts read back from disk pass through here before
 * the editor sees them, so no script, style, tracking image or form ever reaches a message.
 */
const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'div',
  'span',
];

/** The one style a message body may carry: a text colour (no url(), no positioning, no fonts). */
function colourOnly(style: string): string {
  const colour = /(?:^|;)\s*color\s*:\s*(#[0-9a-f]{3,8}|rgba?\([\d\s,.%]+\)|[a-z]+)\s*(?:;|$)/i.exec(style);
  return colour ? `color: ${colour[1]}` : '';
}

DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'style') data.attrValue = colourOnly(data.attrValue);
});

export function sanitizeBodyHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    // style only for a text colour: the editor's schema keeps that one property and drops the rest.
    ALLOWED_ATTR: ['href', 'style'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    KEEP_CONTENT: true,
  });
}

/** Links the user adds: only web and mail addresses (no javascript:, data:, file:). */
export function normaliseLink(raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(value)
    ? value
    : value.includes('@') && !value.includes('/')
      ? `mailto:${value}`
      : `https://${value}`;
  try {
    const url = new URL(candidate);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
