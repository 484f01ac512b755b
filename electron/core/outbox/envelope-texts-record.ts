import { z } from 'zod';
import { DraftContentSchema } from '../../../shared/domain/drafts';
import { ComposeFieldsSchema } from '../../../shared/domain/outbox';
import { EnvelopeRecordSchema, type EnvelopeRecord } from './outbox-recovery';

/**
 * The message's texts as sent and as typed (the fields as sent, body included, and the draft as the
 * user typed it), for Undo, Edit and Resend. Also the whole of a `<id>.draft` file, where outboxes
 * written by earlier versions keep them.
 */
export const TextsRecordSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  draft: ComposeFieldsSchema,
  typed: DraftContentSchema.optional(),
});
export type TextsRecord = z.infer<typeof TextsRecordSchema>;

/**
 * `<id>.envelope-texts`: the two records written once with an entry and never changed, in one
 * durable file instead of two (a file's fsync, rename and opens fewer per message). One JSON line
 * each, envelope first: each line is read and checked on its own, so damage to one leaves the other
 * usable, and a file cut short (where damage to a file is most likely: its end) loses the texts,
 * which only Undo, Edit and Resend need, before the envelope a damaged entry is rebuilt from.
 * JSON.stringify never writes a raw line break, so a line is always one whole record.
 */
export function envelopeTextsFile(envelope: EnvelopeRecord, texts: TextsRecord): string {
  return `${JSON.stringify(envelope)}\n${JSON.stringify(texts)}\n`;
}

function line(text: string, index: 0 | 1): string | undefined {
  const end = text.indexOf('\n');
  // Without a line break even the first line may be cut short; its parse decides.
  if (end < 0) return index === 0 ? text : undefined;
  return index === 0 ? text.slice(0, end) : text.slice(end + 1);
}

function parsed<T extends { id: string }>(
  text: string | undefined,
  schema: z.ZodType<T>,
  id: string,
): T | undefined {
  if (text === undefined) return undefined;
  try {
    const record = schema.parse(JSON.parse(text));
    return record.id === id ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The envelope half of `<id>.envelope-texts`, or a whole older `<id>.envelope`; undefined if damaged. */
export function envelopeOf(text: string, id: string): EnvelopeRecord | undefined {
  return parsed(line(text, 0), EnvelopeRecordSchema, id);
}

/** The texts half of an `<id>.envelope-texts` file; undefined if missing or damaged. */
export function textsOf(text: string, id: string): TextsRecord | undefined {
  return parsed(line(text, 1), TextsRecordSchema, id);
}

/** A whole older `<id>.draft` file; undefined if damaged. */
export function textsOfDraftFile(text: string, id: string): TextsRecord | undefined {
  return parsed(text, TextsRecordSchema, id);
}
