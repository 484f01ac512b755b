import { z } from 'zod';
import { SmtpSettingsSchema } from './smtp-settings';
import { MailroomErrorSchema } from '../result';

/**
 * Shapes for automatic discovery of outgoing settings. The wizard renders a result as:
 * settings (every field still editable), where they came from (`source`), plain-word notes, the
 * provider's own instructions link, and, when the settings point at another organisation's
 * servers, a question to the user before anything is used.
 */

export const DiscoveryRequestSchema = z.object({
  email: z.string().trim().min(3).max(320),
  requestId: z.string().optional(),
});
export type DiscoveryRequest = z.input<typeof DiscoveryRequestSchema>;

/**
 * Where a candidate came from, best first. The order is the ranking: the domain's own data beats
 * a shared database, which beats an inference from DNS, which beats a guess.
 */
export const DiscoverySourceKindSchema = z.enum([
  'built-in', // Mailroom's provider database, matched by the address's domain
  'isp-autoconfig', // config-v1.1.xml published by the domain itself over HTTPS
  'dns-srv', // RFC 6186 _submissions._tcp / _submission._tcp records of the domain
  'ispdb', // Thunderbird's ISPDB entry for the domain
  'mx-built-in', // the domain's MX points at a provider in the built-in database
  'mx-ispdb', // the domain's MX points at a domain that has an ISPDB entry
  'guess', // smtp./mail./bare domain on 465 and 587, confirmed by an EHLO probe
]);
export type DiscoverySourceKind = z.infer<typeof DiscoverySourceKindSchema>;
export const SOURCE_RANK: Record<DiscoverySourceKind, number> = {
  'built-in': 0,
  'isp-autoconfig': 1,
  'dns-srv': 2,
  ispdb: 3,
  'mx-built-in': 4,
  'mx-ispdb': 5,
  guess: 6,
};

export const ProviderAuthKindSchema = z.enum(['password', 'app-password-required', 'oauth2']);
export type ProviderAuthKind = z.infer<typeof ProviderAuthKindSchema>;

/** The settings point at someone other than the address's domain: ask before using them. */
export const ThirdPartySchema = z.object({
  /** The other organisation's domain, e.g. "google.com". */
  domain: z.string(),
  /** A sentence for the confirmation prompt, e.g. "example.com's mail (MX) is handled by Google Workspace (google.com)." */
  reason: z.string(),
});
export type ThirdParty = z.infer<typeof ThirdPartySchema>;

export const DiscoveryCandidateSchema = z.object({
  settings: SmtpSettingsSchema,
  sourceKind: DiscoverySourceKindSchema,
  /** Human label: "Built in: Gmail", "Published by example.com", "DNS SRV record", "Guessed and verified". */
  source: z.string(),
  notes: z.array(z.string()).default([]),
  provider: z.object({ id: z.string(), name: z.string() }).optional(),
  /** The provider's own help page for these settings (https only). */
  instructionsUrl: z.string().url().optional(),
  authKind: ProviderAuthKindSchema.optional(),
  /** The provider also accepts OAuth2 sign-in for SMTP. */
  oauth2Available: z.boolean().default(false),
  /** Present when the user must confirm before these settings are used. */
  thirdParty: ThirdPartySchema.optional(),
  /** An EHLO probe reached this server during discovery. */
  probed: z.boolean().default(false),
});
export type DiscoveryCandidate = z.infer<typeof DiscoveryCandidateSchema>;
export type DiscoveryCandidateInput = z.input<typeof DiscoveryCandidateSchema>;

export const DiscoveryStepIdSchema = z.enum([
  'built-in',
  'autoconfig',
  'well-known',
  'ispdb',
  'srv',
  'mx',
  'guess',
]);
export type DiscoveryStepId = z.infer<typeof DiscoveryStepIdSchema>;

export const DISCOVERY_STEP_LABELS: Record<DiscoveryStepId, string> = {
  'built-in': 'Mailroom’s provider list',
  autoconfig: 'Settings published by the domain',
  'well-known': 'Settings published on the domain’s website',
  ispdb: 'Thunderbird’s provider database',
  srv: 'DNS service records (SRV)',
  mx: 'The domain’s mail servers (MX)',
  guess: 'Trying common server names',
};

/** Whatever happens, discovery answers (or gives up) within this long: windows count it down. */
export const DISCOVERY_DEADLINE_MS = 10_000;

export const DiscoveryStepStatusSchema = z.enum(['running', 'found', 'nothing', 'failed', 'skipped']);
export type DiscoveryStepStatus = z.infer<typeof DiscoveryStepStatusSchema>;

export const DiscoveryStepSchema = z.object({
  step: DiscoveryStepIdSchema,
  label: z.string(),
  status: DiscoveryStepStatusSchema,
  /** Plain words: what was tried and what happened, e.g. "autoconfig.example.com: no such server". */
  detail: z.string().optional(),
  ms: z.number().optional(),
});
export type DiscoveryStep = z.infer<typeof DiscoveryStepSchema>;

export const DiscoveryResultSchema = z.object({
  found: z.boolean(),
  email: z.string().default(''),
  domain: z.string().default(''),
  // The best candidate, flattened so a simple renderer needs nothing else.
  settings: SmtpSettingsSchema.optional(),
  sourceKind: DiscoverySourceKindSchema.optional(),
  source: z.string().optional(),
  notes: z.array(z.string()).default([]),
  provider: z.object({ id: z.string(), name: z.string() }).optional(),
  instructionsUrl: z.string().url().optional(),
  authKind: ProviderAuthKindSchema.optional(),
  oauth2Available: z.boolean().default(false),
  thirdParty: ThirdPartySchema.optional(),
  /** Other usable candidates, best first (excludes the one above). */
  alternatives: z.array(DiscoveryCandidateSchema).default([]),
  /** The final state of every step, in display order. */
  steps: z.array(DiscoveryStepSchema).default([]),
  /** When nothing was found: why, and what to do (enter the settings by hand). */
  problem: MailroomErrorSchema.optional(),
  ms: z.number().default(0),
});
export type DiscoveryResult = z.infer<typeof DiscoveryResultSchema>;

/** Sent for every step change while discovery runs. `step`/`status` keep their placeholder meaning. */
export const DiscoveryProgressSchema = z.object({
  requestId: z.string(),
  step: z.string(),
  status: DiscoveryStepStatusSchema,
  label: z.string().optional(),
  detail: z.string().optional(),
});
export type DiscoveryProgress = z.infer<typeof DiscoveryProgressSchema>;
