import type { OutboxEntry, OutboxState } from './outbox';

// What an outbox entry's state means and how it is worded, in one place for every host: the window's
// Outbox and compose, the command line's waits and lists, the desktop notifications.

/** Nothing more happens to a message in these states unless the user acts. */
export const FINISHED_STATES: readonly OutboxState[] = ['sent', 'failed', 'cancelled'];

export function isFinished(state: OutboxState): boolean {
  return FINISHED_STATES.includes(state);
}

/**
 * This delivery effort has an outcome: finished, or back in the queue after an attempt that failed
 * (a temporary problem: the outbox retries later, a waiting command reports it now).
 */
export function hasOutcome(
  entry: Pick<OutboxEntry, 'state' | 'attempts' | 'lastError'>,
  attemptsBefore: number,
): boolean {
  if (isFinished(entry.state)) return true;
  return entry.state === 'queued' && entry.attempts > attemptsBefore && entry.lastError !== undefined;
}

/** Where a message stands, finer than its stored state. */
export type EntryPhase =
  | 'undo-window'
  | 'scheduled'
  | 'waiting'
  | 'retrying'
  | 'sending'
  | 'sent'
  | 'partly-sent'
  | 'failed'
  | 'cancelled';

type PhaseFacts = Pick<OutboxEntry, 'state' | 'holdUntil' | 'holdReason' | 'lastError' | 'recipients'>;

export function phaseOf(entry: PhaseFacts, now: number): EntryPhase {
  switch (entry.state) {
    case 'queued':
      if (entry.holdUntil && Date.parse(entry.holdUntil) > now) {
        return entry.holdReason === 'undo' ? 'undo-window' : 'scheduled';
      }
      return entry.lastError ? 'retrying' : 'waiting';
    case 'sent':
      return (entry.recipients ?? []).some((r) => !r.accepted) ? 'partly-sent' : 'sent';
    default:
      return entry.state;
  }
}

/** How an entry's state is worded; times go through the host's own formatter (locale, or ISO). */
export function describeEntry(
  entry: PhaseFacts & Pick<OutboxEntry, 'nextAttemptAt' | 'attempts' | 'sentAt'>,
  now: number,
  formatTime: (iso: string) => string,
): string {
  const at = (iso: string | undefined) => (iso ? formatTime(iso) : '');
  switch (phaseOf(entry, now)) {
    case 'undo-window':
      return `Sending in ${Math.ceil((Date.parse(entry.holdUntil!) - now) / 1000)} s (undo possible)`;
    case 'scheduled':
      return `Scheduled for ${at(entry.holdUntil)}`;
    case 'waiting':
      return 'Waiting';
    case 'retrying':
      return `Waiting to retry${entry.nextAttemptAt ? ` at ${at(entry.nextAttemptAt)}` : ''} (attempt ${entry.attempts} failed)`;
    case 'sending':
      return 'Sending';
    case 'sent':
      return entry.sentAt ? `Sent ${at(entry.sentAt)}` : 'Sent';
    case 'partly-sent': {
      const refused = (entry.recipients ?? []).filter((r) => !r.accepted).length;
      return `Sent${entry.sentAt ? ` ${at(entry.sentAt)}` : ''}, refused for ${refused} recipient${refused === 1 ? '' : 's'}`;
    }
    case 'failed':
      return 'Not sent';
    case 'cancelled':
      return 'Cancelled';
  }
}
