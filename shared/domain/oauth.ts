import { z } from 'zod';
import { AccountSummarySchema } from './account';

/**
 * OAuth2 sign-in (XOAUTH2) over IPC. Tokens never cross it: the renderer gets the authorization URL
 * to show and a sign-in id; the core keeps the tokens (refresh token in the keychain, access token in
 * memory only).
 */

export const OAuthServiceIdSchema = z.enum(['google', 'microsoft', 'yahoo', 'aol']);

/** By provider database id ("gmail", "outlook-com") or by authorization server ("google"). */
export const OAuthTargetSchema = z.object({
  providerId: z.string().min(1).max(100),
});

export const OAuthStatusSchema = z.object({
  /** Mailroom knows this provider's authorization server. */
  supported: z.boolean(),
  /** A client ID is configured, so "Sign in with …" can work. */
  configured: z.boolean(),
  service: OAuthServiceIdSchema.optional(),
  /** "Google", for "Sign in with Google". */
  serviceName: z.string().optional(),
  /** When not configured: what is missing and where to put it, in plain words. */
  problem: z.string().optional(),
  fix: z.string().optional(),
});
export type OAuthStatus = z.infer<typeof OAuthStatusSchema>;

export const StartOAuthSignInRequestSchema = OAuthTargetSchema.extend({
  /** The address being set up: the provider preselects that account on its sign-in page. */
  loginHint: z.string().max(320).optional(),
  /** Sign in again for an existing account: the new grant replaces its stored one on success. */
  accountId: z.string().min(1).optional(),
});
export type StartOAuthSignInRequest = z.input<typeof StartOAuthSignInRequestSchema>;

export const StartOAuthSignInResponseSchema = z.object({
  signInId: z.string(),
  /** Open this in the system browser (the Electron host does; the browser host leaves it to the caller). */
  authorizationUrl: z.string().url(),
  /** How long the sign-in waits for the browser before giving up (ms). */
  timeoutMs: z.number().int(),
  /**
   * True when the host opened the URL in the system browser (the desktop app). False in hosts that
   * open nothing (the browser host, tests): the UI then offers the link itself.
   */
  opened: z.boolean().default(false),
});
export type StartOAuthSignInResponse = z.infer<typeof StartOAuthSignInResponseSchema>;

export const SignInRefSchema = z.object({ signInId: z.string().min(1).max(100) });

export const AwaitOAuthSignInResponseSchema = z.object({
  signInId: z.string(),
  service: OAuthServiceIdSchema,
  serviceName: z.string(),
  /** Present when the sign-in was for an existing account: its summary after the grant was saved. */
  account: AccountSummarySchema.optional(),
});
export type AwaitOAuthSignInResponse = z.infer<typeof AwaitOAuthSignInResponseSchema>;

export const SaveOAuthSignInRequestSchema = z.object({
  signInId: z.string().min(1).max(100),
  accountId: z.string().min(1),
});

export const SignOutOAuthResponseSchema = z.object({
  account: AccountSummarySchema,
  /** False when the provider has no revocation endpoint or could not be reached (deleted here anyway). */
  revoked: z.boolean(),
});
export type SignOutOAuthResponse = z.infer<typeof SignOutOAuthResponseSchema>;
