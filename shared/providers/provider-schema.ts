import { z } from 'zod';
import { HostSchema, PortSchema, SecuritySchema } from '../domain/smtp-settings';
import { ProviderAuthKindSchema } from '../domain/discovery';

const DomainNameSchema = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/,
    'A domain name in lower case, e.g. example.com',
  );

/**
 * One provider's outgoing settings as the provider itself publishes them. These are facts, checked
 * against the provider's help page linked in `instructionsUrl`.
 */
export const ProviderSchema = z.object({
  /** Stable id, kebab-case. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: z.string().min(1),
  /** Every address domain served by this provider (aliases included). Empty for MX-only entries. */
  domains: z.array(DomainNameSchema),
  /**
   * MX host suffixes (matched on a label boundary): "mail.protection.outlook.com" matches
   * "contoso-com.mail.protection.outlook.com". Used for custom domains hosted by the provider.
   */
  mxPatterns: z.array(DomainNameSchema).default([]),
  smtp: z.object({ host: HostSchema, port: PortSchema, security: SecuritySchema }),
  auth: z.object({
    kind: ProviderAuthKindSchema,
    /** The provider accepts OAuth2 (XOAUTH2) for SMTP, whatever `kind` says. */
    oauth2Available: z.boolean(),
  }),
  /** What goes in the username field: the full address or only the part before the @. */
  username: z.enum(['address', 'local-part']),
  /** The provider's own page describing these settings. */
  instructionsUrl: z.string().url().startsWith('https://'),
  /** Plain words shown with the result: what the user must do for sign-in to work. */
  notes: z.array(z.string()).default([]),
  /**
   * What the provider lets one account send (going over gets it blocked, often for a day), with the
   * page that says so. A mail merge is paced to it unless the user set their own limits.
   */
  sendingLimits: z
    .object({
      perDay: z.number().int().positive().optional(),
      perMinute: z.number().int().positive().optional(),
      /** The limit in the provider's terms, e.g. "about 500 recipients a day for a personal account". */
      note: z.string().min(1),
      sourceUrl: z.string().url().startsWith('https://'),
    })
    .optional(),
  /**
   * Words only this provider's servers put in their replies (regular expressions), so a refusal is
   * recognised as theirs even through a server name of the user's own domain.
   */
  replySignatures: z.array(z.string()).default([]),
  /**
   * The SPF include the provider documents for a custom domain that sends through it (its outbound
   * servers, which are not the submission host's addresses), with the page that says so.
   */
  spf: z
    .object({
      include: z.string().regex(/^(_?[a-z0-9-]+\.)+[a-z]{2,}$/),
      sourceUrl: z.string().url().startsWith('https://'),
    })
    .optional(),
});
export type Provider = z.infer<typeof ProviderSchema>;
export type ProviderInput = z.input<typeof ProviderSchema>;
