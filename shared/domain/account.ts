import { z } from 'zod';
import { checkEmailAddress } from './email-address';
import { SmtpSettingsSchema } from './smtp-settings';

/** An address as typed (trimmed), refused with the shared check's wording (shared/domain/email-address.ts). */
export const EmailAddressSchema = z
  .string()
  .trim()
  .superRefine((address, ctx) => {
    const check = checkEmailAddress(address);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
  });

/** Display names and other header text must never carry line breaks (header injection). */
export const HeaderTextSchema = z
  .string()
  .max(998)
  .refine((s) => !/[\r\n]/.test(s), 'Line breaks are not allowed here');

/**
 * An address already in the settings file: checked when it was entered, and not re-judged on read, so
 * a stricter check in a later version never makes a saved account unreadable.
 */
const StoredAddressSchema = z.string().max(320);

export const IdentitySchema = z.object({
  id: z.string().min(1),
  name: HeaderTextSchema,
  address: StoredAddressSchema,
  replyTo: StoredAddressSchema.optional(),
  signature: z.string().max(20_000).default(''),
  /** The signature with its formatting (the editor's HTML); `signature` is its plain-text form. */
  signatureHtml: z.string().max(100_000).optional(),
});
export type Identity = z.infer<typeof IdentitySchema>;

export const CredentialModeSchema = z.enum(['keychain', 'session']);

/** What the renderer may see of an account: never the password, only whether one is stored. */
export const AccountSummarySchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  smtp: SmtpSettingsSchema,
  identities: z.array(IdentitySchema).min(1),
  defaultIdentityId: z.string(),
  hasPassword: z.boolean(),
  credentialMode: CredentialModeSchema,
  verifiedAt: z.string().optional(),
});
export type AccountSummary = z.infer<typeof AccountSummarySchema>;

/**
 * Whether passwords can be kept in the OS keychain right now. `reason` lets a UI pick its wording;
 * `problem` says what is missing and `fix` what the user can do about it, both in plain words.
 */
export const KeychainStatusSchema = z.object({
  available: z.boolean(),
  reason: z.enum(['no-session-bus', 'no-secret-service', 'locked', 'not-loaded', 'error']).optional(),
  problem: z.string().optional(),
  fix: z.string().optional(),
});
export type KeychainStatus = z.infer<typeof KeychainStatusSchema>;

const AccountIdSchema = z.string().min(1);
const IdentityIdSchema = z.string().min(1);
/** An empty reply-to in a form means "none". */
const OptionalReplyToSchema = z.union([EmailAddressSchema, z.literal('')]);

/** What the user types for an identity; the core assigns the id. */
export const IdentityInputSchema = z.object({
  name: HeaderTextSchema,
  address: EmailAddressSchema,
  replyTo: OptionalReplyToSchema.optional(),
  signature: z.string().max(20_000).default(''),
  /** The signature with its formatting (the editor's HTML); `signature` is its plain-text form. */
  signatureHtml: z.string().max(100_000).optional(),
});
export type IdentityInput = z.input<typeof IdentityInputSchema>;

export const UpdateAccountRequestSchema = z.object({
  accountId: AccountIdSchema,
  label: z.string().trim().min(1, 'Give the account a name').max(200).optional(),
  /** Any change here clears verifiedAt, so the UI asks to verify the settings again. */
  smtp: SmtpSettingsSchema.optional(),
  /** Set by the UI right after a successful check of exactly these settings. */
  verifiedAt: z.string().optional(),
});
export type UpdateAccountRequest = z.input<typeof UpdateAccountRequestSchema>;

export const SetAccountPasswordRequestSchema = z.object({
  accountId: AccountIdSchema,
  /** Crosses IPC once, on its way to the keychain (or main-process memory); never sent back. */
  password: z.string().min(1, 'Enter the password').max(4096),
  /** 'session': keep it in memory until Mailroom quits (for when no keychain can be used). */
  credentialMode: CredentialModeSchema.default('keychain'),
});
export type SetAccountPasswordRequest = z.input<typeof SetAccountPasswordRequestSchema>;

export const AccountRefSchema = z.object({ accountId: AccountIdSchema });

export const AddIdentityRequestSchema = z.object({
  accountId: AccountIdSchema,
  identity: IdentityInputSchema,
});
export type AddIdentityRequest = z.input<typeof AddIdentityRequestSchema>;

export const UpdateIdentityRequestSchema = z.object({
  accountId: AccountIdSchema,
  identityId: IdentityIdSchema,
  name: HeaderTextSchema.optional(),
  address: EmailAddressSchema.optional(),
  replyTo: OptionalReplyToSchema.optional(),
  signature: z.string().max(20_000).optional(),
  signatureHtml: z.string().max(100_000).optional(),
});
export type UpdateIdentityRequest = z.input<typeof UpdateIdentityRequestSchema>;

export const IdentityRefSchema = z.object({ accountId: AccountIdSchema, identityId: IdentityIdSchema });
