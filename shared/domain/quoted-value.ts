/**
 * A value the user gave, quoted for a message about it: control characters shown as \u{…} escapes
 * (so they can be seen and cannot break the line), cut after `max` characters so a pasted megabyte
 * does not become a megabyte of error text.
 */
export function quoteValue(value: string, max = 60): string {
  const chars = [...value];
  const shown = chars
    .slice(0, max)
    .map((c) => (/[\p{Cc}\u2028\u2029]/u.test(c) ? `\\u{${c.codePointAt(0)!.toString(16)}}` : c))
    .join('');
  return `“${shown}${chars.length > max ? '…' : ''}”`;
}
