import { z } from 'zod';

/**
 * A stored message as the reading pane shows it: its headers, its bodies and what it carried.
 * Attachments are described, never handed over (no contents, no paths): the page shows them, and
 * "Save as .eml" is how the user gets the files.
 */

/** Bodies longer than this are cut (and flagged): a reading pane is not where 50 MB of HTML goes. */
export const SENT_BODY_MAX_CHARS = 2_000_000;
/** More attachments than this are counted, not listed one by one. */
export const SENT_ATTACHMENTS_MAX = 500;

export const MailboxSchema = z.object({
  name: z.string().max(1_000),
  address: z.string().max(1_000),
});
export type Mailbox = z.infer<typeof MailboxSchema>;

const Mailboxes = z.array(MailboxSchema).max(10_000);

export const SentAttachmentSchema = z.object({
  filename: z.string().max(1_000),
  contentType: z.string().max(255),
  /** Decoded size in bytes (what the recipient saves), not the encoded size on the wire. */
  size: z.number().int().nonnegative(),
  /** Shown inside the HTML (a cid: image) rather than offered as a file. */
  inline: z.boolean(),
});
export type SentAttachment = z.infer<typeof SentAttachmentSchema>;

export const SentMessageSchema = z.object({
  id: z.string().max(100),
  messageId: z.string().max(1_000),
  from: Mailboxes,
  replyTo: Mailboxes,
  to: Mailboxes,
  cc: Mailboxes,
  /** From the SMTP envelope: Bcc recipients are never in the stored headers. */
  bcc: Mailboxes,
  subject: z.string().max(10_000),
  /** The Date header (ISO 8601), when the message has a readable one. */
  date: z.string().max(100).optional(),
  /** The HTML part as stored, unsanitised: the page sanitises it before it shows it. */
  html: z.string().max(SENT_BODY_MAX_CHARS).optional(),
  text: z.string().max(SENT_BODY_MAX_CHARS).optional(),
  /** A body was longer than SENT_BODY_MAX_CHARS and is shown in part. */
  truncated: z.boolean(),
  attachments: z.array(SentAttachmentSchema).max(SENT_ATTACHMENTS_MAX),
  /** How many attachments there are in all (more than the list when it was capped). */
  attachmentCount: z.number().int().nonnegative(),
});
export type SentMessage = z.infer<typeof SentMessageSchema>;
