import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from '../../../electron/core/merge/merge-csv';
import { planMerge, templateOfDraft, type MergeTemplate } from '../../../electron/core/merge/merge-plan';
import { placeholdersOf, render } from '../../../electron/core/merge/merge-template';
import type { Draft } from '../../../shared/domain/drafts';

const plain: MergeTemplate = {
  accountId: 'acct',
  subject: 'Hello {{name}}',
  mode: 'plain',
  html: '',
  text: 'Dear {{ name }},\nyour seat is {{seat}}.\n',
  attachments: [],
};

const rich: MergeTemplate = {
  ...plain,
  mode: 'rich',
  html: '<p>Dear <strong>{{name}}</strong>, seat {{seat}}</p>',
  text: 'Dear {{name}}, seat {{seat}}',
};

function planned(template: MergeTemplate, csv: string) {
  const plan = planMerge(template, csv, {});
  if (!plan.ok) throw new Error(plan.error.message);
  return plan.value;
}

describe('CSV lists', () => {
  it('reads a header row and quoted fields holding the delimiter, quotes and line breaks', () => {
    const parsed = parseCsv(
      'email,name,note\r\nada@example.org,"Lovelace, Ada","She said ""hi""\r\nthen left"\r\n',
    );
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.value.fields).toEqual(['email', 'name', 'note']);
    expect(parsed.value.rows).toEqual([
      { row: 2, cells: ['ada@example.org', 'Lovelace, Ada', 'She said "hi"\r\nthen left'] },
    ]);
  });

  it('drops a UTF-8 BOM (Excel writes one) so the first field is named as seen', () => {
    const parsed = parseCsv('\uFEFFemail;Name\nbob@example.org;Bob\n');
    expect(parsed.ok && parsed.value.fields).toEqual(['email', 'Name']);
  });

  it('detects ; (spreadsheets with a decimal comma) and tab from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('email;name;amount\n1,5;2,5')).toBe(';');
    expect(detectDelimiter('"a;b";email,name\n')).toBe(',');
    expect(detectDelimiter('email\tname\n')).toBe('\t');
    expect(detectDelimiter('email\n')).toBe(',');
    const parsed = parseCsv('email;name;amount\r\nada@example.org;Ada;"1,50"\r\n');
    expect(parsed.ok && parsed.value.rows[0]?.cells).toEqual(['ada@example.org', 'Ada', '1,50']);
  });

  it('numbers rows as a spreadsheet does: header 1, blank lines counted but not recipients', () => {
    const parsed = parseCsv('email\na@example.org\n\nb@example.org');
    expect(parsed.ok && parsed.value.rows.map((r) => r.row)).toEqual([2, 4]);
  });

  it('refuses an unclosed quote with the line, and a field named twice', () => {
    const unclosed = parseCsv('email,name\na@example.org,"Ada\n');
    expect(unclosed).toMatchObject({ ok: false, error: { code: 'MERGE_CSV_INVALID' } });
    expect(parseCsv('email,email\na,b')).toMatchObject({ ok: false, error: { code: 'MERGE_CSV_INVALID' } });
    expect(parseCsv('\uFEFF  \n')).toMatchObject({ ok: false, error: { code: 'MERGE_CSV_INVALID' } });
  });
});

describe('templates', () => {
  it('finds placeholders (spaces allowed; markup the editor put inside the braces is not part of the name)', () => {
    expect(placeholdersOf('{{ first name }} and {{seat}} and {{seat}}')).toEqual(['first name', 'seat']);
    expect(placeholdersOf('<p>{{<strong>first</strong>&nbsp;name}}</p>', true)).toEqual(['first name']);
  });

  it('escapes values in the HTML part and keeps the subject one line', () => {
    const values = new Map([['name', 'Smith & <Sons>\r\nLtd']]);
    expect(render('<p>{{name}}</p>', values, 'html')).toBe('<p>Smith &#38; &#60;Sons&#62;<br>Ltd</p>');
    expect(render('Hi {{name}}', values, 'header')).toBe('Hi Smith & <Sons> Ltd');
    expect(render('{{name}}', values, 'text')).toBe('Smith & <Sons>\r\nLtd');
  });
});

describe('planning a merge', () => {
  it('renders every row with its own To, subject and body', () => {
    const plan = planned(plain, 'email,name,seat\nada@example.org,Ada,12\nbob@example.org,Bob,14\n');
    expect(plan.recipientField).toBe('email');
    expect(plan.nameField).toBe('name');
    expect(plan.rows.map((r) => r.rendered)).toEqual([
      {
        row: 2,
        to: 'ada@example.org',
        toName: 'Ada',
        subject: 'Hello Ada',
        text: 'Dear Ada,\nyour seat is 12.\n',
      },
      {
        row: 3,
        to: 'bob@example.org',
        toName: 'Bob',
        subject: 'Hello Bob',
        text: 'Dear Bob,\nyour seat is 14.\n',
      },
    ]);
    expect(plan.rows[0]?.message.displayNames).toEqual({ 'ada@example.org': 'Ada' });
  });

  it('leaves out, with reasons, bad and repeated addresses and rows whose fields are empty', () => {
    const plan = planned(
      plain,
      [
        'email,name,seat',
        'ada@,Ada,1',
        ',Nobody,2',
        'bob@example.org,Bob,',
        'eve@example.org,Eve,3',
        'EVE@example.org,Eve 2,4',
        'x@example.org,X,5,extra',
      ].join('\n'),
    );
    expect(plan.rows.map((r) => r.row)).toEqual([5]);
    expect(plan.skipped.map((s) => [s.row, s.reason, s.field])).toEqual([
      [2, 'bad-address', 'email'],
      [3, 'bad-address', 'email'],
      [4, 'empty-value', 'seat'],
      [6, 'duplicate-address', 'email'],
      [7, 'malformed-row', undefined],
    ]);
    expect(plan.skipped[0]?.detail).toMatch(
      /^Row 2: “ada@” is not a valid email address: there is nothing after the @/,
    );
    expect(plan.totalRows).toBe(6);
  });

  it('leaves out every row when a placeholder names a field the list does not have', () => {
    const plan = planned(
      { ...plain, subject: 'Hi {{nickname}}' },
      'email,name,seat\nada@example.org,Ada,1\n',
    );
    expect(plan.rows).toEqual([]);
    expect(plan.skipped).toMatchObject([{ row: 2, reason: 'missing-field', field: 'nickname' }]);
  });

  it('escapes values in the HTML part of a rich message and renders its text part too', () => {
    const plan = planned(rich, 'email,name,seat\nada@example.org,<b>Ada</b>,1\n');
    expect(plan.rows[0]?.rendered.html).toBe(
      '<p>Dear <strong>&#60;b&#62;Ada&#60;/b&#62;</strong>, seat 1</p>',
    );
    expect(plan.rows[0]?.message.html).toContain('&#60;b&#62;Ada');
    expect(plan.rows[0]?.message.text).toBe('Dear <b>Ada</b>, seat 1');
  });

  it('needs a column with the addresses', () => {
    expect(planMerge(plain, 'name\nAda\n', {})).toMatchObject({
      ok: false,
      error: { code: 'MERGE_NO_RECIPIENT_COLUMN' },
    });
    const chosen = planMerge(plain, 'Mail To,name,seat\nada@example.org,Ada,1\n', {
      recipientField: 'Mail To',
    });
    expect(chosen.ok && chosen.value.rows.length).toBe(1);
  });

  it('refuses a draft with Cc or Bcc (every row would copy them)', () => {
    const draft = {
      id: 'draft-0001',
      accountId: 'acct',
      identityId: '',
      to: [],
      cc: [{ name: '', address: 'boss@example.org' }],
      bcc: [],
      subject: 's',
      mode: 'plain',
      html: '',
      text: 't',
      attachments: [],
      createdAt: '',
      updatedAt: '',
    } satisfies Draft;
    expect(templateOfDraft(draft)).toMatchObject({ ok: false, error: { code: 'MERGE_DRAFT_UNSUITABLE' } });
    expect(templateOfDraft({ ...draft, cc: [] })).toMatchObject({ ok: true });
  });
});
