import { describe, expect, it } from 'vitest';
import {
  checkRecipients,
  endsWithSeparator,
  mergeRecipients,
  parseRecipients,
} from '../../../../renderer/src/compose/address-list';
import { htmlToPlainText } from '../../../../shared/domain/outgoing-message';
import { normaliseLink, sanitizeBodyHtml } from '../../../../renderer/src/compose/sanitize-html';

describe('pasting recipients', () => {
  it('keeps a quoted display name with a comma together and splits the rest', () => {
    expect(parseRecipients('"Doe, Jane" <jane@x.org>, bob@y.com; Team: a@x.org, b@x.org;')).toEqual([
      { name: 'Doe, Jane', address: 'jane@x.org' },
      { name: '', address: 'bob@y.com' },
      { name: '', address: 'a@x.org' },
      { name: '', address: 'b@x.org' },
    ]);
  });

  it('never keeps a line break in a display name', () => {
    const [eve] = parseRecipients('"Eve\r\nBcc: victim@z.org" <eve@x.org>');
    expect(eve).toEqual({ name: 'Eve Bcc: victim@z.org', address: 'eve@x.org' });
  });

  it('turns what is not an address into a chip the check reports, not into nothing', () => {
    const list = parseRecipients('bob@y.com, nonsense');
    expect(list.map((r) => r.address)).toEqual(['bob@y.com', 'nonsense']);
    const { problems } = checkRecipients(list, null);
    expect(problems.map((p) => p.recipient.address)).toEqual(['nonsense']);
  });

  it('keeps a control character in the chip, so the check refuses it instead of sending to another address', () => {
    const list = parseRecipients('ctl\x01@b.example, "X\x02" <ok@b.example>');
    expect(list).toEqual([
      { name: '', address: 'ctl\x01@b.example' },
      { name: 'X', address: 'ok@b.example' },
    ]);
    const { problems } = checkRecipients(list, null);
    expect(problems).toEqual([
      {
        recipient: list[0],
        reason:
          '“ctl\\u{1}@b.example” is not a valid email address: it contains a control character (U+0001).',
      },
    ]);
  });

  it('refuses what the shared check refuses, in its words', () => {
    const list = parseRecipients(`a@b, ${'x'.repeat(70)}@b.example, a@b..example, jörg@bücher.example`);
    const { problems, warnings } = checkRecipients(list, null);
    expect(problems.map((p) => p.reason)).toEqual([
      expect.stringContaining('the domain “b” has no dot'),
      expect.stringContaining('the part before @ is longer than 64 characters (it has 70)'),
      expect.stringContaining('the domain has two dots in a row'),
    ]);
    expect(warnings).toEqual([expect.stringContaining('SMTPUTF8')]);
    expect(checkRecipients([{ name: '', address: 'jörg@bücher.example' }], false).problems).toHaveLength(1);
  });

  it('adds each address once', () => {
    expect(
      mergeRecipients([{ name: 'Bob', address: 'bob@y.com' }], parseRecipients('BOB@y.com, c@d.org')),
    ).toEqual([
      { name: 'Bob', address: 'bob@y.com' },
      { name: '', address: 'c@d.org' },
    ]);
  });

  it('ends a recipient on a separator outside quotes only', () => {
    expect(endsWithSeparator('bob@y.com,')).toBe(true);
    expect(endsWithSeparator('"Doe,')).toBe(false);
    expect(endsWithSeparator('"Doe, Jane" <jane@x.org>;')).toBe(true);
  });
});

describe('message bodies', () => {
  it('gives a faithful text part: lines, lists, quotes and link targets', () => {
    const text = htmlToPlainText(
      '<p>Hello <strong>there</strong></p><p>second line</p><ul><li>one</li><li>two</li></ul>' +
        '<blockquote><p>quoted</p></blockquote><p><a href="https://example.org/x">the spec</a></p>',
    );
    expect(text).toContain('Hello there\nsecond line');
    expect(text).toMatch(/\* one\n\* two/);
    expect(text).toContain('> quoted');
    expect(text).toContain('the spec <https://example.org/x>');
  });

  it('strips scripts, handlers, styles and unsafe links from pasted HTML', () => {
    const clean = sanitizeBodyHtml(
      '<p onclick="x()">Hi<script>alert(1)</script><img src=x onerror=alert(1)>' +
        '<a href="javascript:alert(1)">bad</a><a href="https://ok.example/">ok</a><style>p{}</style></p>',
    );
    expect(clean).not.toMatch(/script|onerror|onclick|javascript|<img|<style/i);
    expect(clean).toContain('<a href="https://ok.example/">ok</a>');
  });

  it('accepts only web and mail links from the link button', () => {
    expect(normaliseLink('example.org')).toBe('https://example.org/');
    expect(normaliseLink('jane@x.org')).toBe('mailto:jane@x.org');
    expect(normaliseLink('javascript:alert(1)')).toBeNull();
  });
});

describe('formatting that survives sanitising', () => {
  it('keeps headings, underline, strikethrough and a text colour, and no other style', () => {
    const clean = sanitizeBodyHtml(
      '<h2>Plan</h2><p><u>u</u> <s>s</s> <span style="color: #c62828; background: url(https://t.example/x)">red</span>' +
        '<span style="position:fixed">x</span></p>',
    );
    expect(clean).toContain('<h2>Plan</h2>');
    expect(clean).toContain('<u>u</u> <s>s</s>');
    expect(clean).toContain('<span style="color: #c62828">red</span>');
    expect(clean).not.toMatch(/url\(|position/);
  });
});
