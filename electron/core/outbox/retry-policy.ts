import type { ErrorCode } from '../../../shared/error-codes';
import type { MailroomError } from '../../../shared/result';

/**
 * Failures that say nothing about the message or the settings, only about now: the network is down,
 * the server is busy (4xx), the keychain is locked. Worth retrying later without asking the user.
 */
const TEMPORARY_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SERVER_TEMPORARY',
  'CONNECTION_REFUSED',
  'CONNECTION_TIMEOUT',
  'GREETING_TIMEOUT',
  'NETWORK_ERROR',
  // Offline machines fail name lookups; a misspelt server name shows up as lastError meanwhile and
  // the queue lifetime ends it.
  'DNS_NOT_FOUND',
  // A dropped connection without a 5xx reply (PROTOCOL_ERROR with a 5xx code is permanent, below).
  'PROTOCOL_ERROR',
  'KEYCHAIN_LOCKED',
  'KEYCHAIN_UNAVAILABLE',
  'INTERNAL',
]);

function replyCode(error: MailroomError): number | undefined {
  const code = error.details?.['responseCode'];
  return typeof code === 'number' ? code : undefined;
}

/** 4xx and network trouble: retry. 5xx and anything the user must fix: fail now. */
export function isTemporary(error: MailroomError): boolean {
  const reply = replyCode(error);
  if (reply !== undefined && reply >= 400 && reply < 500) return true;
  if (reply !== undefined && reply >= 500) return false;
  return TEMPORARY_CODES.has(error.code);
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so many clients that
 * failed together (a server restart) do not all come back at the same instant, yet none retries
 * sooner than half its step. `attempt` is 1 for the first retry.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(step / 2 + random() * (step / 2));
}
