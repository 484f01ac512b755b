import { z } from 'zod';
import { MAX_PER_DAY, MAX_PER_MINUTE } from './sending-limit-bounds';
import { DraftIdSchema } from './drafts';

/**
 * Mail merge ("Send to a list…"): one message per row of a CSV file, each with its own To and its
 * own `{{field}}` values in the subject and the body, queued as ONE job in the outbox and paced to
 * the account's sending limits.
 *
 * The message is a saved compose draft (account, identity, subject template, the body as compose
 * holds it: rich html + its text rendering, or plain text; the attachments the draft was given
 * through its grants). The draft's To is ignored (every row has its own); a draft with Cc or Bcc is
 * refused, since every one of the rows would copy them.
 *
 * Row numbers are spreadsheet rows: the header is row 1, the first recipient is row 2, so the number
 * matches what the user sees in the program the list was made in.
 */

/** The CSV as the user chose it. The renderer reads the chosen file itself (`<input type=file>`, `File.text()`): no path crosses. */
export const MergeCsvSchema = z.object({
  /** The file's text (a leading BOM is dropped; `,` or `;` or tab, detected from the header line). */
  text: z.string().max(20_000_000),
  /** The file's name, for the job's title in the Outbox (never opened). */
  fileName: z.string().max(1024).default('list.csv'),
});
export type MergeCsv = z.infer<typeof MergeCsvSchema>;

/** The placeholder syntax: `{{field}}`, the field named exactly as in the header row (spaces around it allowed). */
export const MERGE_PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

export const MergeRequestSchema = z.object({
  /** The compose draft holding the message template and its attachments. */
  draftId: DraftIdSchema,
  csv: MergeCsvSchema,
  /**
   * The column holding each row's address. Default: the first column named (case-insensitively)
   * email, e-mail, email address, mail, address or to.
   */
  recipientField: z.string().max(200).optional(),
  /** The column holding the recipient's display name. Default: a column named name or full name, if any. */
  nameField: z.string().max(200).optional(),
});
export type MergeRequest = z.infer<typeof MergeRequestSchema>;
export type MergeRequestInput = z.input<typeof MergeRequestSchema>;

export const PreviewMergeRequestSchema = MergeRequestSchema.extend({
  /** How many rows to render in full. */
  previewRows: z.number().int().min(0).max(10_000).default(5),
});
export type PreviewMergeRequest = z.infer<typeof PreviewMergeRequestSchema>;

/** One row exactly as it will be sent. */
export const MergeRenderedRowSchema = z.object({
  row: z.number().int().min(2),
  /** The recipient's address (To). */
  to: z.string(),
  /** The display name on To, when the list has a name column. */
  toName: z.string().optional(),
  subject: z.string(),
  /** The plain-text part. */
  text: z.string(),
  /** The HTML part (values HTML-escaped), when the draft is rich. */
  html: z.string().optional(),
});
export type MergeRenderedRow = z.infer<typeof MergeRenderedRowSchema>;

export const MergeSkipReasonSchema = z.enum([
  /** The address column is empty or not an address the app accepts. */
  'bad-address',
  /** A placeholder names a column the list does not have. */
  'missing-field',
  /** A placeholder's column is empty in this row. */
  'empty-value',
  /** The row has more or fewer cells than the header. */
  'malformed-row',
  /** The same address is on an earlier row (it would get the message twice). */
  'duplicate-address',
]);
export type MergeSkipReason = z.infer<typeof MergeSkipReasonSchema>;

/** A row left out (never sent), with why, in words for the user. */
export const MergeSkippedRowSchema = z.object({
  row: z.number().int().min(2),
  reason: MergeSkipReasonSchema,
  /** The column concerned (the address column, or the placeholder's field). */
  field: z.string().optional(),
  /** E.g. 'Row 7: "ada@" is not an email address (it has nothing after the @).' */
  detail: z.string(),
});
export type MergeSkippedRow = z.infer<typeof MergeSkippedRowSchema>;

/** Limits: messages per minute and per day for one account (null = no limit). */
export const SendingLimitsSchema = z.object({
  perMinute: z.number().int().min(1).max(MAX_PER_MINUTE).nullable(),
  perDay: z.number().int().min(1).max(MAX_PER_DAY).nullable(),
});
export type SendingLimits = z.infer<typeof SendingLimitsSchema>;

/** Where an account's limits come from: the user's own, the provider's published ones, or none known. */
export const SendingLimitsSourceSchema = z.enum(['account', 'provider', 'none']);

/** The limits a merge on this account is paced to, and where they come from. */
export const EffectiveSendingLimitsSchema = SendingLimitsSchema.extend({
  source: SendingLimitsSourceSchema,
  /** The provider's name when the limits are the provider's (e.g. "Gmail"). */
  providerName: z.string().optional(),
  /** The provider's page that states the limit. */
  sourceUrl: z.string().url().optional(),
  /** The provider's words about the limit (e.g. "about 500 recipients a day for a personal account"). */
  note: z.string().optional(),
});
export type EffectiveSendingLimits = z.infer<typeof EffectiveSendingLimitsSchema>;

/** What a merge is paced to right now, and when it will be done. */
export const MergePacingSchema = z.object({
  limits: EffectiveSendingLimitsSchema,
  /**
   * Messages per minute the job sends at now: the limit, or lower after the server said "too many
   * messages" (421 / 4.7.x), which slows the job instead of failing it. null = not paced.
   */
  currentPerMinute: z.number().positive().nullable(),
  /** Set after a "too many messages" reply: nothing goes before this time. */
  throttledUntil: z.string().optional(),
  /** The server's reply that slowed the job down. */
  throttleReply: z.string().optional(),
  /** When the next message may go (absent when one may go now or nothing is left). */
  nextSendAt: z.string().optional(),
  /** When the last of the rest is expected to go out at this pace (absent when nothing is left). */
  estimatedDoneAt: z.string().optional(),
  /** Messages this account sent in the last 24 hours (what counts against perDay). */
  sentLast24h: z.number().int().nonnegative(),
});
export type MergePacing = z.infer<typeof MergePacingSchema>;

export const MergePreviewSchema = z.object({
  /** The header row's field names, in order. */
  fields: z.array(z.string()),
  delimiter: z.enum([',', ';', '\t']),
  /** The column used for To, and for the display name. */
  recipientField: z.string(),
  nameField: z.string().optional(),
  /** Placeholders the subject and body use. */
  placeholders: z.array(z.string()),
  /** Data rows in the file (header not counted). */
  totalRows: z.number().int().nonnegative(),
  /** Rows that will be sent. */
  sendableRows: z.number().int().nonnegative(),
  /** The first previewRows sendable rows, rendered as they will be sent. */
  rows: z.array(MergeRenderedRowSchema),
  /** Every row left out, in file order. */
  skipped: z.array(MergeSkippedRowSchema),
  /** The sender as it will appear (e.g. "Ada Lovelace <ada@example.com>"). */
  from: z.string(),
  accountId: z.string(),
  attachmentNames: z.array(z.string()),
  /** The pace the job would go at if started now. */
  pacing: MergePacingSchema,
});
export type MergePreview = z.infer<typeof MergePreviewSchema>;

/** Job ids name files in the outbox folder, so only this shape is accepted. */
export const MergeJobIdSchema = z.string().regex(/^merge-[a-z0-9]{8,40}$/, 'Not a merge job id');

export const MergeJobRefSchema = z.object({ jobId: MergeJobIdSchema });

/**
 * enqueuing: the rows are being written to the outbox (resumed after a crash);
 * active: rows are going out, paced; paused: nothing more goes until resumed (a message already on
 * the wire finishes); cancelled: the rows not yet sent were cancelled; done: every row was sent or failed.
 */
export const MergeJobStateSchema = z.enum(['enqueuing', 'active', 'paused', 'cancelled', 'done']);
export type MergeJobState = z.infer<typeof MergeJobStateSchema>;

/** Per-row counts of a job (each sendable row is exactly one outbox entry). */
export const MergeJobCountsSchema = z.object({
  /** Sendable rows (skipped rows not counted). */
  total: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  sending: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  /** Rows left out before queueing (bad address, missing field). */
  skipped: z.number().int().nonnegative(),
});
export type MergeJobCounts = z.infer<typeof MergeJobCountsSchema>;

export const MergeJobSchema = z.object({
  id: MergeJobIdSchema,
  accountId: z.string(),
  from: z.string(),
  /** The subject template, e.g. "Invitation for {{first name}}". */
  subject: z.string(),
  fileName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: MergeJobStateSchema,
  counts: MergeJobCountsSchema,
  pacing: MergePacingSchema,
  /** The rows left out before queueing, with their reasons. */
  skipped: z.array(MergeSkippedRowSchema),
});
export type MergeJob = z.infer<typeof MergeJobSchema>;

export const MergeReceiptSchema = z.object({
  jobId: MergeJobIdSchema,
  /** Rows queued (one outbox entry each). */
  queued: z.number().int().nonnegative(),
  skipped: z.array(MergeSkippedRowSchema),
  job: MergeJobSchema,
});
export type MergeReceipt = z.infer<typeof MergeReceiptSchema>;

export const MergeJobListSchema = z.object({ jobs: z.array(MergeJobSchema) });

/** Which job and row an outbox entry belongs to (on OutboxEntry.merge). */
export const MergeEntryRefSchema = z.object({ jobId: MergeJobIdSchema, row: z.number().int().min(2) });
export type MergeEntryRef = z.infer<typeof MergeEntryRefSchema>;

export const AccountSendingLimitsRequestSchema = z.object({ accountId: z.string().min(1).max(200) });

/** The user's own limits for an account (their own server's policy); null fields clear them (the provider's apply again). */
export const SetSendingLimitsRequestSchema = AccountSendingLimitsRequestSchema.extend({
  limits: SendingLimitsSchema.nullable(),
});

export const AccountSendingLimitsSchema = z.object({
  accountId: z.string(),
  /** The user's own limits, if set. */
  own: SendingLimitsSchema.nullable(),
  /** The provider's published limits, if the account's server is a known provider. */
  provider: EffectiveSendingLimitsSchema.nullable(),
  /** What a merge is paced to: own if set, else the provider's, else none. */
  effective: EffectiveSendingLimitsSchema,
});
export type AccountSendingLimits = z.infer<typeof AccountSendingLimitsSchema>;
