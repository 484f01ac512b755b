import { z } from 'zod';
import { SmtpSettingsSchema, PortSchema, SecuritySchema } from './smtp-settings';
import { MailroomErrorSchema } from '../result';
import { ErrorCodeSchema } from '../error-codes';

/**
 * What a settings check (smtp-verify) reports. Built for two readers: the wizard (steps with status
 * and timings, a plain-language summary, the fix hint) and an expert (capabilities, TLS, certificate,
 * transcript with credentials redacted).
 */

export const VerifyRequestSchema = z.object({
  requestId: z.string().min(1),
  /** Without a port, the check first probes 465, 587 and 25 and verifies the best one (RFC 8314). */
  smtp: SmtpSettingsSchema.extend({ port: PortSchema.optional() }),
  /** Verify with the password stored for this account (the renderer never holds it). */
  accountId: z.string().optional(),
  password: z.string().max(4096).optional(),
  /** authMethod 'oauth2' before the account exists: check with the token of this finished sign-in. */
  oauthSignInId: z.string().max(100).optional(),
  timeoutMs: z.number().int().min(500).max(120_000).optional(),
});
export type VerifyRequest = z.input<typeof VerifyRequestSchema>;

/** The steps in the order they run; a report lists only those that apply to the security mode. */
export const VERIFY_STEP_NAMES = [
  'probe',
  'dns',
  'connect',
  'tls',
  'greeting',
  'ehlo',
  'starttls',
  'certificate',
  'auth',
] as const;
export const VerifyStepNameSchema = z.enum(VERIFY_STEP_NAMES);
export type VerifyStepName = z.infer<typeof VerifyStepNameSchema>;

/** Labels a UI can show as-is. */
export const VERIFY_STEP_LABELS: Record<VerifyStepName, string> = {
  probe: 'Find a working port',
  dns: 'Look up the server',
  connect: 'Connect',
  tls: 'Start encryption (SSL/TLS)',
  greeting: 'Server greeting',
  ehlo: 'What the server offers',
  starttls: 'Start encryption (STARTTLS)',
  certificate: 'Check the certificate',
  auth: 'Sign in',
};

export const VerifyStepSchema = z.object({
  /** One of VERIFY_STEP_NAMES (kept a string so older reports still parse). */
  name: z.string(),
  label: z.string().optional(),
  status: z.enum(['pending', 'running', 'passed', 'failed', 'skipped']),
  ms: z.number().optional(),
  /** One line in plain words: "127.0.0.1 (IPv4)", "TLSv1.3, TLS_AES_256_GCM_SHA384", "535 5.7.8 ...". */
  detail: z.string().optional(),
  /** Set on a failed step: the stable code of the report's error. */
  code: ErrorCodeSchema.optional(),
  /** On a running step: the longest it waits for the server before it fails (for a countdown). */
  timeoutMs: z.number().optional(),
});
export type VerifyStep = z.infer<typeof VerifyStepSchema>;

export const CapabilitiesSchema = z.object({
  /** SIZE advertised; limitBytes null when advertised without a number (no fixed limit). */
  size: z.object({ advertised: z.boolean(), limitBytes: z.number().nullable() }),
  pipelining: z.boolean(),
  eightBitMime: z.boolean(),
  smtpUtf8: z.boolean(),
  dsn: z.boolean(),
  starttls: z.boolean(),
  chunking: z.boolean(),
  enhancedStatusCodes: z.boolean(),
  /** SASL mechanisms from the AUTH line, upper-case; empty when AUTH is not advertised. */
  authMechanisms: z.array(z.string()),
  /** The EHLO keywords as the server sent them (without the first, greeting-like line). */
  raw: z.array(z.string()),
  /** True when these were read after encryption started (what the session really offers). */
  encrypted: z.boolean(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const TlsInfoSchema = z.object({
  /** 'implicit' for SSL/TLS from the first byte, 'starttls' after the upgrade. */
  mode: z.enum(['implicit', 'starttls']),
  version: z.string(),
  cipher: z.string(),
});
export type TlsInfo = z.infer<typeof TlsInfoSchema>;

export const CertificateInfoSchema = z.object({
  subject: z.string(),
  /** Names from subjectAltName, e.g. ["DNS:smtp.example.com"]. */
  sans: z.array(z.string()),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** SHA-256 as colon-separated upper-case hex, the form the user compares and pins. */
  fingerprint256: z.string(),
  hostnameMatches: z.boolean(),
  chainTrusted: z.boolean(),
  selfSigned: z.boolean(),
  expired: z.boolean(),
  /** True when the certificate is the one pinned for this account. */
  pinned: z.boolean(),
  /** Present when the certificate is not trusted, so the user can pin it (trustedCertificatePem). */
  pem: z.string().optional(),
});
export type CertificateInfo = z.infer<typeof CertificateInfoSchema>;

export const AuthResultSchema = z.object({
  attempted: z.boolean(),
  ok: z.boolean(),
  mechanism: z.string().optional(),
  /** Server reply to the attempt (never what we sent). */
  response: z.string().optional(),
});
export type AuthResult = z.infer<typeof AuthResultSchema>;

export const PortProbeResultSchema = z.object({
  port: PortSchema,
  security: SecuritySchema,
  /** Reachable and (unless security is none) encrypted with a trusted certificate. */
  ok: z.boolean(),
  ms: z.number().optional(),
  banner: z.string().optional(),
  authMechanisms: z.array(z.string()).default([]),
  error: MailroomErrorSchema.optional(),
});
export type PortProbeResult = z.infer<typeof PortProbeResultSchema>;

export const PortProbeReportSchema = z.object({
  host: z.string(),
  results: z.array(PortProbeResultSchema),
  recommendation: z.object({ port: PortSchema, security: SecuritySchema, reason: z.string() }).optional(),
  /** The problem to show when nothing usable was found. */
  error: MailroomErrorSchema.optional(),
});
export type PortProbeReport = z.infer<typeof PortProbeReportSchema>;

export const VerifyReportSchema = z.object({
  ok: z.boolean(),
  host: z.string(),
  port: z.number(),
  security: z.string(),
  steps: z.array(VerifyStepSchema),
  error: MailroomErrorSchema.optional(),
  /** "C: EHLO ...", "S: 250 ...", "* TLS ..." lines; AUTH arguments and SASL blobs are redacted. */
  transcript: z.array(z.string()).default([]),
  startedAt: z.string().optional(),
  totalMs: z.number().optional(),
  addresses: z.array(z.string()).default([]),
  banner: z.string().optional(),
  capabilities: CapabilitiesSchema.optional(),
  tls: TlsInfoSchema.optional(),
  certificate: CertificateInfoSchema.optional(),
  auth: AuthResultSchema.optional(),
  /** Readable sentences about what the server offers, for the wizard. */
  summary: z.array(z.string()).default([]),
  /** Present when the request had no port and the check probed for one. */
  probe: PortProbeReportSchema.optional(),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

export const VerifyProgressSchema = z.object({ requestId: z.string(), step: VerifyStepSchema });
export type VerifyProgress = z.infer<typeof VerifyProgressSchema>;
