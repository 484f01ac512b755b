import { z } from 'zod';

/**
 * tls: implicit TLS from the first byte (RFC 8314, port 465).
 * starttls: plaintext greeting then a required upgrade (port 587); never falls back to plaintext.
 * none: no encryption at all; only with an explicit allowUnencrypted choice.
 */
export const SecuritySchema = z.enum(['tls', 'starttls', 'none']);
export type Security = z.infer<typeof SecuritySchema>;

export const AuthMethodSchema = z.enum(['password', 'none', 'oauth2']);
export type AuthMethod = z.infer<typeof AuthMethodSchema>;

/** A SHA-256 certificate fingerprint as colon-separated upper-case hex pairs (as browsers show it). */
export const FingerprintSchema = z
  .string()
  .transform((s) =>
    s
      .trim()
      .toUpperCase()
      .replace(/[^0-9A-F]/g, ''),
  )
  .refine((s) => s.length === 64, 'A SHA-256 fingerprint has 64 hex digits')
  .transform((s) => s.match(/../g)!.join(':'));

export const HostSchema = z
  .string()
  .trim()
  .min(1, 'Enter the outgoing server name, e.g. smtp.example.com')
  .max(253)
  .refine(
    (h) => !/[\s/:@]/.test(h) || /^\[?[0-9a-fA-F:]+\]?$/.test(h),
    'A server name has no spaces, slashes or @',
  );

export const PortSchema = z.number().int().min(1).max(65535);

export const SmtpSettingsSchema = z.object({
  host: HostSchema,
  port: PortSchema,
  security: SecuritySchema,
  authMethod: AuthMethodSchema.default('password'),
  username: z.string().max(320).default(''),
  /** Required to use security 'none' with a password: a password is never sent unencrypted by accident. */
  allowUnencrypted: z.boolean().default(false),
  /** Pinned certificate for a self-signed or private-CA server (trusted for this account only). */
  trustedFingerprint: FingerprintSchema.optional(),
  /**
   * The PEM of the pinned certificate (the one whose fingerprint is trustedFingerprint). It is added
   * to the trusted roots for this account only, so validation stays on and a self-signed server
   * verifies like any other; the fingerprint check then makes sure it is exactly that certificate.
   */
  trustedCertificatePem: z.string().max(65_536).optional(),
  /** A PEM file with a private CA the user chose to trust for this account. */
  caFile: z.string().optional(),
});
export type SmtpSettings = z.infer<typeof SmtpSettingsSchema>;
export type SmtpSettingsInput = z.input<typeof SmtpSettingsSchema>;

export const DEFAULT_PORT: Record<Security, number> = { tls: 465, starttls: 587, none: 25 };
