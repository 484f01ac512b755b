import { z } from 'zod';
import { HeaderTextSchema } from './account';

/**
 * Drafts: what a compose window holds, kept by the core under <profile>/drafts/ so a closed window,
 * a restart or a crash loses at most the last few seconds of typing.
 */

/** Draft ids name files in the profile, so only this shape is accepted (no path tricks). */
export const DraftIdSchema = z.string().regex(/^[a-z0-9-]{8,64}$/, 'Not a draft id');

/**
 * One recipient chip. The address is kept as typed (it may still be invalid: a draft keeps what the
 * user wrote and the compose window says what is wrong); the name never holds a line break.
 */
export const RecipientSchema = z.object({
  name: HeaderTextSchema.default(''),
  address: z.string().max(320),
});
export type Recipient = z.infer<typeof RecipientSchema>;

export const BodyModeSchema = z.enum(['rich', 'plain']);
export type BodyMode = z.infer<typeof BodyModeSchema>;

/** A file the user attached: the core stats it; the renderer never reads it. */
export const DraftAttachmentSchema = z.object({
  id: z.string().min(1).max(64),
  /**
   * Absolute path on this machine, written only by the core from a grant (picker, drop, a message's
   * own attachments). Shown for information; the renderer never sends a path back.
   */
  path: z.string().min(1).max(4096),
  name: z.string().max(1024),
  size: z.number().int().nonnegative(),
  /** False when the file was moved or deleted since it was attached (checked when the draft is read). */
  present: z.boolean().default(true),
});
export type DraftAttachment = z.infer<typeof DraftAttachmentSchema>;

/** What the compose window edits; attachments are changed only through their own channels. */
export const DraftContentSchema = z.object({
  accountId: z.string().max(200).default(''),
  identityId: z.string().max(200).default(''),
  to: z.array(RecipientSchema).max(500).default([]),
  cc: z.array(RecipientSchema).max(500).default([]),
  bcc: z.array(RecipientSchema).max(500).default([]),
  /** Kept free of line breaks at the boundary (header injection); the UI strips them as you type. */
  subject: HeaderTextSchema.default(''),
  mode: BodyModeSchema.default('rich'),
  /** The rich body as sanitised HTML (rich mode), or empty. */
  html: z.string().max(5_000_000).default(''),
  /** The plain body (plain mode), or the last text rendering of the rich body. */
  text: z.string().max(5_000_000).default(''),
});
export type DraftContent = z.infer<typeof DraftContentSchema>;
export type DraftContentInput = z.input<typeof DraftContentSchema>;

export const DraftSchema = DraftContentSchema.extend({
  id: DraftIdSchema,
  attachments: z.array(DraftAttachmentSchema).default([]),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Draft = z.infer<typeof DraftSchema>;

export const DraftSummarySchema = z.object({
  id: DraftIdSchema,
  subject: z.string(),
  to: z.array(z.string()),
  attachmentCount: z.number().int(),
  updatedAt: z.string(),
});
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

export const CreateDraftRequestSchema = DraftContentSchema.partial();
export const SaveDraftRequestSchema = z.object({ id: DraftIdSchema, content: DraftContentSchema });
export type SaveDraftRequest = z.input<typeof SaveDraftRequestSchema>;

export const DraftRefSchema = z.object({ id: DraftIdSchema });

/**
 * An opaque, single-use grant for one file the user chose, issued by host-side code (never by the
 * page): the renderer attaches files by passing grants back, never by naming a path.
 */
export const AttachmentGrantSchema = z.string().regex(/^grant-[a-f0-9]{32}$/, 'Not an attachment grant');

export const AddAttachmentsRequestSchema = z.object({
  draftId: DraftIdSchema,
  grants: z.array(AttachmentGrantSchema).min(1).max(100),
});

/**
 * Files dropped on compose. Only the Electron preload sends this: it turns the dropped File objects
 * into paths in its isolated world, so the page itself never names one. A browser cannot, so the
 * browser host answers with its picker and ignores any paths.
 */
export const AttachDroppedFilesRequestSchema = z.object({
  draftId: DraftIdSchema,
  paths: z.array(z.string().min(1).max(4096)).max(100),
});

/** What the page hands its window.mailroom.attachDroppedFiles: the File objects of the drop. */
export interface DroppedFilesInput {
  draftId: string;
  files: readonly object[];
}

export const RemoveAttachmentRequestSchema = z.object({
  draftId: DraftIdSchema,
  attachmentId: z.string().min(1).max(64),
});

export const SuggestRecipientsRequestSchema = z.object({
  query: z.string().max(320),
  limit: z.number().int().min(1).max(50).default(8),
});
export const SuggestRecipientsResponseSchema = z.object({ recipients: z.array(RecipientSchema) });

/** What compose needs to know about the sending server (read from its EHLO, cached per account). */
export const ServerLimitsSchema = z.object({
  /** The SIZE limit in bytes, or null when the server announces none or could not be asked. */
  sizeLimitBytes: z.number().nullable(),
  /** null when unknown (server not reachable yet): then non-ASCII local parts only get a warning. */
  smtpUtf8: z.boolean().nullable(),
});
export type ServerLimits = z.infer<typeof ServerLimitsSchema>;

export const OpenComposeWindowResponseSchema = z.object({
  /** False when the host has no separate windows (browser host): the page shows the route itself. */
  opened: z.boolean(),
});

export const PickAttachmentsResponseSchema = z.object({
  /** True when the user closed the picker without choosing. */
  cancelled: z.boolean(),
  attachments: z.array(DraftAttachmentSchema),
});
