import { z } from 'zod';
import { HostSchema, PortSchema } from './smtp-settings';

/**
 * "Will it arrive?": what the From domain's DNS (SPF, DMARC) says about mail sent through a given
 * submission server. Advice only: it never blocks saving or sending.
 */

export const DeliveryCheckRequestSchema = z.object({
  /** The address mail goes out From (an account's or an identity's). */
  from: z.string().min(3).max(320),
  /** The submission server the mail goes through. */
  smtpHost: HostSchema,
  /** Tells a provider that runs on this machine (a bridge on 127.0.0.1) from any other local server. */
  smtpPort: PortSchema.optional(),
});
export type DeliveryCheckRequest = z.input<typeof DeliveryCheckRequestSchema>;

export const DELIVERY_CHECK_KINDS = ['spf', 'dmarc'] as const;
export const DeliveryCheckKindSchema = z.enum(DELIVERY_CHECK_KINDS);
export type DeliveryCheckKind = z.infer<typeof DeliveryCheckKindSchema>;

/**
 * pass: receivers will accept it on this count. warn: it may land in spam. fail: receivers will
 * reject it or put it in spam. unknown: it could not be told (no DNS answer, or it depends on DKIM).
 */
export const DeliveryStatusSchema = z.enum(['pass', 'warn', 'fail', 'unknown']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const DeliveryVerdictSchema = z.object({
  kind: DeliveryCheckKindSchema,
  status: DeliveryStatusSchema,
  /** One or two sentences in plain words: what the record says and what receivers will do. */
  words: z.string(),
  /** What to change, in words; empty when nothing needs doing. */
  hint: z.string(),
  /** The DNS record the verdict is about, as published (for the expert). */
  record: z.string().optional(),
});
export type DeliveryVerdict = z.infer<typeof DeliveryVerdictSchema>;

export const DeliveryCheckSchema = z.object({
  from: z.string(),
  domain: z.string(),
  smtpHost: z.string(),
  /** The server's addresses that SPF was evaluated for. */
  serverAddresses: z.array(z.string()),
  /** The provider our data knows for this server, by name. */
  provider: z.string().optional(),
  checks: z.array(DeliveryVerdictSchema),
  /** What cannot be seen from outside (DKIM signing at the provider), said once. */
  note: z.string().optional(),
  ms: z.number().optional(),
});
export type DeliveryCheck = z.infer<typeof DeliveryCheckSchema>;

/** Labels a UI can show as-is. */
export const DELIVERY_CHECK_LABELS: Record<DeliveryCheckKind, string> = {
  spf: 'SPF (who may send for the domain)',
  dmarc: 'DMARC (what receivers do with mail that fails)',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pass: 'Passes',
  warn: 'May land in spam',
  fail: 'Will be rejected or put in spam',
  unknown: 'Could not tell',
};
