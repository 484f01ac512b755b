import { z } from 'zod';

/**
 * Stable error codes. The CLI's JSON output and the UI both key off these, so never rename one;
 * add new codes at the end of their group.
 */
export const ERROR_CODES = [
  // Connection and protocol (SMTP verification issue)
  'DNS_NOT_FOUND',
  'CONNECTION_REFUSED',
  'CONNECTION_TIMEOUT',
  'GREETING_TIMEOUT',
  'TLS_WRONG_MODE',
  'STARTTLS_UNAVAILABLE',
  'TLS_CERT_UNTRUSTED',
  'TLS_CERT_EXPIRED',
  'TLS_HOSTNAME_MISMATCH',
  'TLS_HANDSHAKE_FAILED',
  'AUTH_UNAVAILABLE',
  'AUTH_FAILED',
  'AUTH_REQUIRES_ENCRYPTION',
  'SENDER_REJECTED',
  'RECIPIENT_REJECTED',
  'MESSAGE_TOO_LARGE',
  'SERVER_TEMPORARY',
  'PROTOCOL_ERROR',
  'NETWORK_ERROR',
  'MESSAGE_REJECTED',
  // Accounts and keychain
  'ACCOUNT_NOT_FOUND',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
  'PASSWORD_MISSING',
  'SETTINGS_CORRUPT',
  'SETTINGS_TOO_NEW',
  'IDENTITY_NOT_FOUND',
  // Discovery
  'DISCOVERY_NOT_FOUND',
  'DISCOVERY_TIMEOUT',
  // Outbox
  'OUTBOX_ENTRY_NOT_FOUND',
  'OUTBOX_WRONG_STATE',
  'MESSAGE_FILE_DAMAGED',
  'OUTBOX_ENTRY_DAMAGED',
  'OUTBOX_WAIT_TIMEOUT',
  // Files
  'FILE_NOT_FOUND',
  'DISK_FULL',
  // Drafts (compose)
  'DRAFT_NOT_FOUND',
  'DRAFT_CORRUPT',
  'ATTACHMENT_NOT_GRANTED',
  // OAuth2 sign-in
  'OAUTH_NOT_CONFIGURED',
  'OAUTH_SIGN_IN_FAILED',
  'OAUTH_SIGN_IN_REQUIRED',
  // Boundary
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'UNKNOWN_CHANNEL',
  'CANCELLED',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
