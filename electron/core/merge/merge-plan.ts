import type { Draft, DraftContent } from '../../../shared/domain/drafts';
import { checkEmailAddress } from '../../../shared/domain/email-address';
import type { MergeRenderedRow, MergeSkippedRow } from '../../../shared/domain/mail-merge';
import {
  OutgoingMessageSchema,
  outgoingMessageOf,
  type OutgoingMessage,
} from '../../../shared/domain/outgoing-message';
import { quoteValue } from '../../../shared/domain/quoted-value';
import { fail, ok, type Result } from '../../../shared/result';
import { parseCsv, type CsvDelimiter } from './merge-csv';
import { placeholdersOf, render } from './merge-template';

/** The message every row is made from: a compose draft's content and attachments, kept in the job manifest. */
export interface MergeTemplate {
  accountId: string;
  identityId?: string | undefined;
  subject: string;
  mode: 'rich' | 'plain';
  /** The rich body (editor HTML), or '' for a plain draft. */
  html: string;
  /** The plain body, or the rich body's text rendering. */
  text: string;
  attachments: { path: string; filename: string }[];
}

/** One row ready to queue: the message as it will be sent, and the draft as typed (for Edit). */
export interface PlannedRow {
  row: number;
  rendered: MergeRenderedRow;
  message: OutgoingMessage;
  typed: DraftContent;
}

export interface MergePlan {
  fields: string[];
  delimiter: CsvDelimiter;
  recipientField: string;
  nameField?: string | undefined;
  placeholders: string[];
  totalRows: number;
  rows: PlannedRow[];
  skipped: MergeSkippedRow[];
}

const ADDRESS_FIELDS = ['email', 'e-mail', 'email address', 'e-mail address', 'mail', 'address', 'to'];
const NAME_FIELDS = ['name', 'full name', 'display name'];

/** The draft as a merge template; a draft with Cc or Bcc is refused (every row would copy them). */
export function templateOfDraft(draft: Draft): Result<MergeTemplate> {
  if (!draft.accountId) {
    return fail({
      code: 'MERGE_DRAFT_UNSUITABLE',
      message: 'The message has no sender.',
      hint: 'Choose who it is from (From), then send it to the list.',
    });
  }
  if (draft.cc.length || draft.bcc.length) {
    return fail({
      code: 'MERGE_DRAFT_UNSUITABLE',
      message: `The message has ${draft.cc.length ? 'Cc' : 'Bcc'} recipients, who would get one copy for every row of the list.`,
      hint: 'Remove the Cc and Bcc recipients, then send it to the list.',
    });
  }
  const missing = draft.attachments.find((a) => !a.present);
  if (missing) {
    return fail({
      code: 'FILE_NOT_FOUND',
      message: `“${missing.name}” is no longer where it was attached.`,
      hint: 'Remove it or attach it again, then send it to the list.',
    });
  }
  return ok({
    accountId: draft.accountId,
    ...(draft.identityId ? { identityId: draft.identityId } : {}),
    subject: draft.subject,
    mode: draft.mode,
    html: draft.mode === 'rich' ? draft.html : '',
    text: draft.text,
    attachments: draft.attachments.map((a) => ({ path: a.path, filename: a.name })),
  });
}

function findField(
  fields: string[],
  wanted: string | undefined,
  defaults: readonly string[],
): string | undefined {
  if (wanted !== undefined) return fields.includes(wanted) ? wanted : undefined;
  for (const name of defaults) {
    const found = fields.find((f) => f.toLowerCase() === name);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every row of the list, rendered as it will be sent, or left out with the reason: a bad or repeated
 * address, a placeholder naming a field the list does not have or that is empty in the row, a row
 * with more cells than the header. Nothing is ever sent with a placeholder left in or a value empty.
 */
export function planMerge(
  template: MergeTemplate,
  csvText: string,
  options: { recipientField?: string | undefined; nameField?: string | undefined },
): Result<MergePlan> {
  const parsed = parseCsv(csvText);
  if (!parsed.ok) return parsed;
  const { fields, delimiter, rows } = parsed.value;
  const recipientField = findField(fields, options.recipientField, ADDRESS_FIELDS);
  if (!recipientField) {
    return fail({
      code: 'MERGE_NO_RECIPIENT_COLUMN',
      message:
        options.recipientField !== undefined
          ? `The list has no field named ${quoteValue(options.recipientField)} (it has ${fields.map(quoteValue).join(', ')}).`
          : `No field of the list holds the addresses: none is named email (it has ${fields.map(quoteValue).join(', ')}).`,
      hint: 'Name the column with the addresses "email" in the first row, or choose it as the recipient field.',
      // The window offers these as the address column to choose.
      details: { fields },
    });
  }
  const nameField = findField(fields, options.nameField, NAME_FIELDS);
  const rich = template.mode === 'rich';
  const placeholders = [
    ...new Set([
      ...placeholdersOf(template.subject),
      ...placeholdersOf(template.text),
      ...(rich ? placeholdersOf(template.html, true) : []),
    ]),
  ];
  const missingFields = placeholders.filter((p) => !fields.includes(p));
  const planned: PlannedRow[] = [];
  const skipped: MergeSkippedRow[] = [];
  const addresses = new Map<string, number>();

  for (const { row, cells } of rows) {
    const skip = (reason: MergeSkippedRow['reason'], detail: string, field?: string) =>
      skipped.push({ row, reason, detail: `Row ${row}: ${detail}`, ...(field ? { field } : {}) });
    if (cells.length > fields.length && cells.slice(fields.length).some((c) => c.trim() !== '')) {
      skip('malformed-row', `it has ${cells.length} fields, the first row names ${fields.length}.`);
      continue;
    }
    const values = new Map(fields.map((f, i) => [f, cells[i] ?? '']));
    const address = (values.get(recipientField) ?? '').trim();
    const check = checkEmailAddress(address);
    if (!check.ok) {
      skip(
        'bad-address',
        address ? check.message : `the ${quoteValue(recipientField)} field is empty.`,
        recipientField,
      );
      continue;
    }
    const key = check.value.wire.toLowerCase();
    const earlier = addresses.get(key);
    if (earlier !== undefined) {
      skip('duplicate-address', `${quoteValue(address)} is already on row ${earlier}.`, recipientField);
      continue;
    }
    if (missingFields.length) {
      const field = missingFields[0]!;
      skip('missing-field', `the message uses {{${field}}}, which the list does not have.`, field);
      continue;
    }
    const empty = placeholders.find((p) => (values.get(p) ?? '').trim() === '');
    if (empty !== undefined) {
      skip('empty-value', `the message uses {{${empty}}}, which is empty in this row.`, empty);
      continue;
    }
    addresses.set(key, row);
    const toName = nameField ? (values.get(nameField) ?? '').replace(/[\r\n]+/g, ' ').trim() : '';
    const typed: DraftContent = {
      accountId: template.accountId,
      identityId: template.identityId ?? '',
      to: [{ name: toName, address }],
      cc: [],
      bcc: [],
      subject: render(template.subject, values, 'header'),
      mode: template.mode,
      html: rich ? render(template.html, values, 'html') : '',
      text: render(template.text, values, 'text'),
    };
    const message = OutgoingMessageSchema.safeParse(outgoingMessageOf(typed));
    if (!message.success) {
      skip('bad-address', message.error.issues[0]?.message ?? 'the message could not be made from it.');
      continue;
    }
    planned.push({
      row,
      typed,
      message: message.data,
      rendered: {
        row,
        to: message.data.to[0]!,
        ...(toName ? { toName } : {}),
        subject: message.data.subject,
        text: message.data.text,
        ...(rich ? { html: typed.html } : {}),
      },
    });
  }
  return ok({
    fields,
    delimiter,
    recipientField,
    ...(nameField ? { nameField } : {}),
    placeholders,
    totalRows: rows.length,
    rows: planned,
    skipped,
  });
}
