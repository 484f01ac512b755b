import { z } from 'zod';
import { SmtpSettingsSchema } from './smtp-settings';

export const EmailAddressSchema = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/, 'Enter an email address like name@example.com');

/** Display names and other header text must never carry line breaks (header injection). */
export const HeaderTextSchema = z
  .string()
  .max(998)
  .refine((s) => !/[\r\n]/.test(s), 'Line breaks are not allowed here');

export const IdentitySchema = z.object({
  id: z.string().min(1),
  name: HeaderTextSchema,
  address: EmailAddressSchema,
  replyTo: EmailAddressSchema.optional(),
  signature: z.string().max(20_000).default(''),
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
