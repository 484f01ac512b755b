import { MERGE_PLACEHOLDER } from '../../../shared/domain/mail-merge';

/** A placeholder as the user wrote it, and the field it names. */
export interface Placeholder {
  field: string;
}

const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&nbsp;': ' ',
  '&#160;': ' ',
  '&lt;': '<',
  '&gt;': '>',
};

/**
 * The field a placeholder names. In the HTML part the rich editor may have put markup or entities
 * inside the braces (a bold first letter, a non-breaking space): they are not part of the name.
 */
function fieldName(inner: string, html: boolean): string {
  if (!html) return inner.trim();
  return inner
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|nbsp|lt|gt|#160);/g, (entity) => HTML_ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The fields a template uses, in the order they first appear. */
export function placeholdersOf(template: string, html = false): string[] {
  const found: string[] = [];
  for (const match of template.matchAll(MERGE_PLACEHOLDER)) {
    const field = fieldName(match[1] ?? '', html);
    if (!found.includes(field)) found.push(field);
  }
  return found;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The template with every placeholder replaced by its value: HTML-escaped in the HTML part (a value
 * is text, never markup: "Smith & <Sons>" must not become a tag), line breaks turned into spaces in
 * the subject (one header line). Callers check first that every placeholder has a value.
 */
export function render(
  template: string,
  values: ReadonlyMap<string, string>,
  as: 'text' | 'html' | 'header',
): string {
  return template.replace(MERGE_PLACEHOLDER, (_whole, inner: string) => {
    const value = values.get(fieldName(inner, as === 'html')) ?? '';
    if (as === 'html') return escapeHtml(value).replace(/\r\n?|\n/g, '<br>');
    if (as === 'header') return value.replace(/[\r\n]+/g, ' ');
    return value;
  });
}
