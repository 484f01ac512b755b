import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import type { AddressObject, AttachmentStream, EmailAddress, MessageText } from 'mailparser';
import {
  SENT_ATTACHMENTS_MAX,
  SENT_BODY_MAX_CHARS,
  type Mailbox,
  type SentAttachment,
  type SentMessage,
} from '../../../shared/domain/sent-message';

/** What the stored entry knows that the file does not: Bcc lives only in the envelope. */
export interface SentMessageFacts {
  id: string;
  bcc: readonly string[];
  displayNames?: Record<string, string> | undefined;
}

function mailboxes(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  const flat = (list: EmailAddress[]): Mailbox[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : [{ name: a.name ?? '', address: a.address ?? '' }]));
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => flat(o.value));
}

function cut(body: string | undefined): { value?: string; cut: boolean } {
  if (body === undefined) return { cut: false };
  return body.length > SENT_BODY_MAX_CHARS
    ? { value: body.slice(0, SENT_BODY_MAX_CHARS), cut: true }
    : { value: body, cut: false };
}

/** Counts a stream's bytes and lets them go: an attachment is described, never kept in memory. */
async function byteCount(content: Readable): Promise<number> {
  let size = 0;
  await pipeline(
    content,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback();
      },
    }),
  );
  return size;
}

/**
 * Reads a stored .eml back for the reading pane with mailparser (the parser from nodemailer's
 * author, so it reads what MailComposer wrote the way it was meant). Streamed: attachments are
 * measured as they pass and never held, so a 50 MB message costs its bodies, not its files.
 */
export async function readSentMessage(path: string, facts: SentMessageFacts): Promise<SentMessage> {
  // The streaming parser leaves cid: links as they are: the page's frame allows cid: images but has no
  // way to fetch them, so an inline image shows as its placeholder, not as a data: copy of the file.
  // Loaded on first read: mailparser and its charset tables are the heaviest code the core carries,
  // and only the reading pane needs them (a CLI command that never reads Sent never loads them).
  const { MailParser } = await import('mailparser');
  const parser = new MailParser();
  let headers: Map<string, unknown> = new Map();
  let body: MessageText | undefined;
  const attachments: SentAttachment[] = [];
  let attachmentCount = 0;
  const measured: Promise<void>[] = [];

  parser.on('headers', (parsed: Map<string, unknown>) => {
    headers = parsed;
  });
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      body = data;
      return;
    }
    attachmentCount++;
    const keep = attachments.length < SENT_ATTACHMENTS_MAX;
    measured.push(
      byteCount(data.content as Readable).then((size) => {
        if (keep) {
          attachments.push({
            filename: (data.filename ?? '').slice(0, 1_000),
            contentType: data.contentType.slice(0, 255),
            size,
            inline: data.related === true || data.contentDisposition === 'inline',
          });
        }
        data.release?.();
      }),
    );
  });

  await pipeline(createReadStream(path), parser);
  await Promise.all(measured);

  const html = cut(typeof body?.html === 'string' ? body.html : undefined);
  const text = cut(body?.text);
  const date = headers.get('date');
  const names = facts.displayNames ?? {};
  return {
    id: facts.id,
    messageId: String(headers.get('message-id') ?? ''),
    from: mailboxes(headers.get('from') as AddressObject | undefined),
    replyTo: mailboxes(headers.get('reply-to') as AddressObject | undefined),
    to: mailboxes(headers.get('to') as AddressObject | undefined),
    cc: mailboxes(headers.get('cc') as AddressObject | undefined),
    bcc: facts.bcc.map((address) => ({ name: names[address] ?? '', address })),
    subject: String(headers.get('subject') ?? ''),
    ...(date instanceof Date && !Number.isNaN(date.getTime()) ? { date: date.toISOString() } : {}),
    ...(html.value !== undefined ? { html: html.value } : {}),
    ...(text.value !== undefined ? { text: text.value } : {}),
    truncated: html.cut || text.cut,
    attachments,
    attachmentCount,
  };
}
