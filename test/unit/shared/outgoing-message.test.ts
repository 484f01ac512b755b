import { describe, expect, it } from 'vitest';
import { htmlToPlainText, messageHtml, plainTextToHtml } from '../../../shared/domain/outgoing-message';

// The editor's fragment (TipTap's getHTML) as the recipient gets it: both parts keep the user's lines.

const typed = '<p>Hello Bob,</p><p></p><p>The plan:</p><ul><li><p>one</p></li></ul><p></p><p></p><p>Ada</p>';

describe('the message as sent', () => {
  it('keeps a blank line typed between paragraphs in the HTML part (an empty <p> has no height)', () => {
    const html = messageHtml(typed);
    expect(html).not.toMatch(/<p[^>]*><\/p>/);
    expect(html).toContain('<p style="margin:0">Hello Bob,</p><p style="margin:0"><br></p>');
    expect(html.match(/<br>/g)).toHaveLength(3);
  });

  it('keeps every blank line in the text part, one line per paragraph', () => {
    expect(htmlToPlainText(typed)).toBe('Hello Bob,\n\nThe plan:\n* one\n\n\nAda');
  });

  it('writes a blank line inside a quote as a bare ">"', () => {
    expect(htmlToPlainText('<blockquote><p>q</p><p></p><p>r</p></blockquote>')).toBe('> q\n>\n> r');
  });

  it('turns plain text into one paragraph per line and back', () => {
    const text = 'Hi\n\n\nthere\n-- \nsig';
    expect(htmlToPlainText(plainTextToHtml(text))).toBe(text);
  });

  it('sends a complete HTML document as it is', () => {
    const doc = '<!doctype html><html><body><p></p></body></html>';
    expect(messageHtml(doc)).toBe(doc);
  });
});
