import { z } from 'zod';
import { MailroomErrorSchema } from '../result';
import { MergeEntryRefSchema } from './mail-merge';

/**
 * The outbox's life cycle of one message:
 *   queued -> sending -> sent
 *                     -> queued (temporary failure: retried later with backoff)
 *                     -> failed (permanent failure, or gave up after the queue lifetime)
 *   queued / failed   -> cancelled (by the user: undo, cancel, edit)
 * A message found in 'sending' when the app starts was interrupted by a crash and goes back to
 * 'queued' with the same Message-ID (at-least-once delivery).
 */
export const OutboxStateSchema = z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled']);
export type OutboxState = z.infer<typeof OutboxStateSchema>;

/** How one recipient fared at the server (RCPT TO), so a partial rejection names who is missing. */
export const RecipientOutcomeSchema = z.object({
  address: z.string(),
  accepted: z.boolean(),
  /** The server's reply for a refused recipient, e.g. "550 5.1.1 User unknown". */
  reply: z.string().optional(),
});
export type RecipientOutcome = z.infer<typeof RecipientOutcomeSchema>;

export const OutboxAttachmentSchema = z.object({
  /** A local file path chosen in the main process (never read by the renderer). */
  path: z.string().min(1),
  filename: z.string().optional(),
  contentType: z.string().optional(),
});
export type OutboxAttachment = z.infer<typeof OutboxAttachmentSchema>;

/** What compose needs to reopen a message (edit, undo): the fields the user typed, unchanged. */
export const ComposeFieldsSchema = z.object({
  accountId: z.string(),
  identityId: z.string().optional(),
  to: z.array(z.string()),
  cc: z.array(z.string()).default([]),
  bcc: z.array(z.string()).default([]),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  attachments: z.array(OutboxAttachmentSchema).default([]),
  /** Display names for To/Cc addresses, keyed by address. */
  displayNames: z.record(z.string(), z.string()).optional(),
});
export type ComposeFields = z.infer<typeof ComposeFieldsSchema>;

/** One outbox or sent-history entry as the UI sees it (the stored entry minus the compose fields). */
export const OutboxEntrySchema = z.object({
  id: z.string(),
  accountId: z.string(),
  messageId: z.string(),
  state: OutboxStateSchema,
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  /** Display names for To/Cc addresses, keyed by address (as typed in compose). */
  displayNames: z.record(z.string(), z.string()).optional(),
  subject: z.string(),
  /** Size of the stored RFC 5322 message in bytes (what goes over the wire). */
  size: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Held until then by the user: the undo-send window, or a chosen "send later" time. */
  holdUntil: z.string().optional(),
  holdReason: z.enum(['undo', 'scheduled']).optional(),
  /** When the next delivery attempt is due after a temporary failure. */
  nextAttemptAt: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  lastAttemptAt: z.string().optional(),
  lastError: MailroomErrorSchema.optional(),
  /** True when a crash interrupted a delivery: the server may already hold one copy. */
  resumedAfterCrash: z.boolean().optional(),
  sentAt: z.string().optional(),
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F1C2". */
  response: z.string().optional(),
  recipients: z.array(RecipientOutcomeSchema).optional(),
  /** Whether the .eml is still kept (sent history may drop it after the retention period). */
  hasMessageFile: z.boolean(),
  /** Files attached to the message (a marker in the lists; readSentMessage describes them). */
  attachmentCount: z.number().int().nonnegative().optional(),
  /** Live progress while sending: bytes of the message handed to the server so far. */
  bytesSent: z.number().int().nonnegative().optional(),
  /** The mail-merge job and CSV row this message was made from (listMergeJobs has the job). */
  merge: MergeEntryRefSchema.optional(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

/** States that still need the app's attention (the pending count). */
export const PENDING_STATES: readonly OutboxState[] = ['queued', 'sending', 'failed'];

export const OutboxListRequestSchema = z.object({
  /** 'outbox': queued, sending, failed, cancelled. 'sent': sent history, newest first. */
  view: z.enum(['outbox', 'sent']).default('outbox'),
  /**
   * A random id per window (page load). Listing subscribes that window to outboxChanged events for a
   * while (`leaseMs` in the answer); listing again renews it. One id = one subscription, however many
   * components list.
   */
  subscriberId: z.string().max(100).optional(),
});

export const OutboxListSchema = z.object({
  entries: z.array(OutboxEntrySchema),
  /** Messages waiting to go out or needing attention (queued, sending, failed). */
  pending: z.number().int().nonnegative(),
  /** How long the outboxChanged subscription lasts: list again before it runs out. */
  leaseMs: z.number().int().positive(),
});
export type OutboxList = z.infer<typeof OutboxListSchema>;

export const OutboxEntryRequestSchema = z.object({ id: z.string().min(1).max(100) });

/** The stored message file, for the host to open or copy (the renderer never reads files). */
export const OutboxMessageFileSchema = z.object({
  id: z.string(),
  /** Absolute path of the .eml in the profile. */
  path: z.string(),
  /** A file name to suggest when saving, e.g. "Notes on the engine.eml". */
  fileName: z.string(),
  size: z.number().int().nonnegative(),
  /** True when the host acted on it (opened it, or saved a copy); false when it only reports it. */
  handled: z.boolean(),
  /** Where the host saved the copy, when it did. */
  savedTo: z.string().optional(),
});
export type OutboxMessageFile = z.infer<typeof OutboxMessageFileSchema>;

export const OutboxChangedSchema = z.object({
  /** The entry as it is now; absent when it was removed (retention). */
  entry: OutboxEntrySchema.optional(),
  removedId: z.string().optional(),
  pending: z.number().int().nonnegative(),
});
export type OutboxChanged = z.infer<typeof OutboxChangedSchema>;

/**
 * Status of one sendMessage call, for the compose window that sent it (matched by requestId).
 * sendMessage resolves once the message is safely queued; these events follow it to 'sent'.
 */
export const SendStatusSchema = z.object({
  requestId: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled']),
  /** One line for the user (the server's reply when sent, the error message when failed). */
  detail: z.string().optional(),
  outboxId: z.string().optional(),
  /** While queued: held for undo or send-later until then. */
  holdUntil: z.string().optional(),
  holdReason: z.enum(['undo', 'scheduled']).optional(),
  /** While queued after a temporary failure: the next attempt. */
  nextAttemptAt: z.string().optional(),
  /** When sent: the server's final reply. */
  response: z.string().optional(),
  rejected: z.array(RecipientOutcomeSchema).optional(),
  /** When failed (or queued after a temporary failure): what went wrong and what to do. */
  error: MailroomErrorSchema.optional(),
  bytesSent: z.number().int().nonnegative().optional(),
  bytesTotal: z.number().int().nonnegative().optional(),
});
export type SendStatus = z.infer<typeof SendStatusSchema>;

/** Per-profile outbox preferences (settings key "outbox"); every field has a default. */
export const OutboxSettingsSchema = z.object({
  /** How long a sent message waits in the outbox so "Undo" can take it back. 0 turns undo off. */
  undoDelayMs: z.number().int().min(0).max(120_000).default(5_000),
  /** First retry delay after a temporary failure; doubles per attempt, with jitter, up to the cap. */
  retryBaseMs: z.number().int().min(10).default(15_000),
  retryCapMs: z
    .number()
    .int()
    .min(10)
    .default(15 * 60_000),
  /** After this long without getting through, a message is marked failed (Postfix's default: 5 days). */
  queueLifetimeMs: z
    .number()
    .int()
    .positive()
    .default(5 * 24 * 3_600_000),
  /** Connections per account at once; messages share them (SMTP pooling). */
  maxConnectionsPerAccount: z.number().int().min(1).max(10).default(2),
  /**
   * Messages per account handed to the pool at once (at least one per connection). More than the
   * connections keeps each connection busy while the next message's state is being fsynced; each is
   * durably 'sending' only once a connection takes it, so a crash duplicates at most one message per
   * connection.
   */
  maxInFlightPerAccount: z.number().int().min(1).max(100).default(8),
  /** Idle pooled connections are closed after this long. */
  poolIdleMs: z.number().int().min(0).default(15_000),
  /** Sent history (and cancelled messages) older than this is deleted. */
  sentRetentionDays: z.number().min(0).default(30),
  /** Keep the .eml of sent messages (open, save, resend); false keeps only the metadata. */
  keepSentMessages: z.boolean().default(true),
  /**
   * On quit, how long a message already on the wire may take to reach the server's reply before the
   * connection is cut. Cut off mid-transfer, it is sent again at the next start (a possible duplicate).
   */
  quitGraceMs: z.number().int().min(0).max(60_000).default(5_000),
});
export type OutboxSettings = z.infer<typeof OutboxSettingsSchema>;
