import { open } from 'node:fs/promises';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import type { MailroomError } from '../../../shared/result';
import { digestOfFile } from './message-file';
import type { StoredEntry } from './outbox-store';
import { iso } from './timestamps';

/**
 * The envelope record (the first line of `<id>.envelope-texts`, or `<id>.envelope` in an outbox
 * written by an earlier version), written with the entry: what an entry needs to be sent that the
 * message's headers do not carry (the account, and Bcc, which is in the envelope only). A header
 * would be seen by every recipient and change the bytes we hash and send, so it is a record beside
 * the message.
 */
export const EnvelopeRecordSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  accountId: z.string(),
  identityId: z.string().optional(),
  messageId: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
  createdAt: z.string(),
});
export type EnvelopeRecord = z.infer<typeof EnvelopeRecordSchema>;

/** Why a message file has no usable entry. */
export type RecoveryReason = 'entry-damaged' | 'entry-missing';

const HEADER_SCAN_BYTES = 64 * 1024;

/** The unfolded header block of a stored message, by lower-case name (first occurrence). */
async function headersOf(path: string): Promise<Map<string, string>> {
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(HEADER_SCAN_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_SCAN_BYTES, 0);
    head = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const end = head.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of (end >= 0 ? head.slice(0, end) : head).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047 words as MailComposer writes them (UTF-8, B or Q), for a readable subject. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (word, charset: string, kind: string, text: string) => {
      if (!/^utf-?8$/i.test(charset)) return word;
      if (kind.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

function addresses(value: string | undefined): string[] {
  if (!value) return [];
  const flat: string[] = [];
  const walk = (list: ReturnType<typeof addressparser>) => {
    for (const item of list) {
      if ('group' in item && item.group) walk(item.group);
      else if (item.address) flat.push(item.address);
    }
  };
  walk(addressparser(value));
  return flat;
}

function problem(reason: RecoveryReason, record: EnvelopeRecord | undefined): MailroomError {
  const what =
    reason === 'entry-damaged'
      ? 'Its outbox record was damaged, so Mailroom rebuilt it from the stored message and does not know whether it was already sent.'
      : 'Mailroom found the stored message without its outbox record (it stopped while queueing it), so it was not sent.';
  const account = record
    ? ''
    : ' Mailroom cannot tell which account it belongs to, so Retry will not work: open the stored message and send it again from compose.';
  return {
    code: 'OUTBOX_ENTRY_DAMAGED',
    message: `${what}${account}`,
    hint: 'Retry sends it (recipients may get it twice if it already went); Remove discards it.',
  };
}

/**
 * An entry for a message file that has no readable entry, so it is shown as needing attention
 * ('failed', with the reason) instead of being dropped: the outbox never deletes a message it cannot
 * account for. Built from the envelope record when there is one, else from the message's headers.
 */
export async function recoveredEntry(
  id: string,
  messagePath: string,
  record: EnvelopeRecord | undefined,
  reason: RecoveryReason,
  now: number,
): Promise<StoredEntry> {
  const digest = await digestOfFile(messagePath);
  let fields: Omit<EnvelopeRecord, 'version' | 'id' | 'createdAt'> & { createdAt: string };
  if (record) {
    fields = record;
  } else {
    const headers = await headersOf(messagePath);
    const from = addresses(headers.get('from'))[0] ?? '';
    const to = addresses(headers.get('to'));
    const cc = addresses(headers.get('cc'));
    const date = Date.parse(headers.get('date') ?? '');
    fields = {
      // Without the record the account is unknown; delivery then fails with ACCOUNT_NOT_FOUND.
      accountId: '',
      messageId: headers.get('message-id') ?? '',
      from: decodeWords(headers.get('from') ?? from),
      to,
      cc,
      bcc: [],
      subject: decodeWords(headers.get('subject') ?? ''),
      envelope: { from, to: [...to, ...cc] },
      createdAt: iso(Number.isNaN(date) ? now : date),
    };
  }
  return {
    version: 1,
    id,
    accountId: fields.accountId,
    ...(fields.identityId ? { identityId: fields.identityId } : {}),
    messageId: fields.messageId,
    state: 'failed',
    from: fields.from,
    to: fields.to,
    cc: fields.cc,
    bcc: fields.bcc,
    subject: fields.subject,
    size: digest.size,
    sha256: digest.sha256,
    createdAt: fields.createdAt,
    updatedAt: iso(now),
    attempts: 0,
    lastError: problem(reason, record),
    ...(reason === 'entry-damaged' ? { resumedAfterCrash: true } : {}),
    hasMessageFile: true,
    envelope: fields.envelope,
    draft: {
      accountId: fields.accountId,
      ...(fields.identityId ? { identityId: fields.identityId } : {}),
      to: fields.to,
      cc: fields.cc,
      bcc: fields.bcc,
      subject: fields.subject,
      // The text is in the message file (Open shows it); the record keeps only what sending needs.
      text: '',
      attachments: [],
    },
    queuedSince: iso(now),
  };
}
