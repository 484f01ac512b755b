import type { SendStatus } from '../../../shared/ipc/contract';
import type { MailroomError } from '../../../shared/result';
import { formatBytes } from '../../../shared/domain/byte-size';
import { ErrorNotice } from '../common/error-notice';
import { formatDateTime } from '../../../shared/domain/date-time';

/** Where a send stands, as the compose window shows it (the outbox's sendStatus events drive it). */
export type Outcome =
  | { kind: 'idle' }
  /** sendMessage called, not yet answered. */
  | { kind: 'submitting' }
  | { kind: 'queued'; outboxId?: string; holdUntil?: string; undoable: boolean; nextAttemptAt?: string }
  | { kind: 'sending'; outboxId?: string; bytesSent?: number; bytesTotal?: number }
  | { kind: 'sent'; response: string; rejected: string[] }
  | { kind: 'failed'; error: MailroomError; outboxId?: string }
  | { kind: 'cancelled' };

export function outcomeFromStatus(status: SendStatus): Outcome {
  const outboxId = status.outboxId ? { outboxId: status.outboxId } : {};
  switch (status.state) {
    case 'queued':
      return {
        kind: 'queued',
        ...outboxId,
        undoable: status.holdReason === 'undo',
        ...(status.holdUntil ? { holdUntil: status.holdUntil } : {}),
        ...(status.nextAttemptAt ? { nextAttemptAt: status.nextAttemptAt } : {}),
      };
    case 'sending':
      return {
        kind: 'sending',
        ...outboxId,
        ...(status.bytesSent !== undefined ? { bytesSent: status.bytesSent } : {}),
        ...(status.bytesTotal !== undefined ? { bytesTotal: status.bytesTotal } : {}),
      };
    case 'sent':
      return {
        kind: 'sent',
        response: status.response ?? status.detail ?? '',
        rejected: (status.rejected ?? [])
          .filter((r) => !r.accepted)
          .map((r) => (r.reply ? `${r.address} (${r.reply})` : r.address)),
      };
    case 'failed':
      return {
        kind: 'failed',
        ...outboxId,
        error: status.error ?? {
          code: 'INTERNAL',
          message: status.detail ?? 'The message could not be sent.',
        },
      };
    case 'cancelled':
      return { kind: 'cancelled' };
  }
}

/** A later event replaces an earlier one, except that nothing comes after "sent" or "cancelled". */
export function nextOutcome(current: Outcome, event: Outcome): Outcome {
  return current.kind === 'sent' || current.kind === 'cancelled' ? current : event;
}

interface Props {
  outcome: Exclude<Outcome, { kind: 'idle' } | { kind: 'submitting' }>;
  onRetry: (() => void) | null;
  onUndo: (() => void) | null;
}

/** The outcome of a message already handed to the outbox. */
export function SendOutcomeNotice({ outcome, onRetry, onUndo }: Props) {
  if (outcome.kind === 'sent') {
    return (
      <div className="notice notice-success" role="status">
        <strong>Sent.</strong> The server replied: <code>{outcome.response}</code>
        {outcome.rejected.length > 0 && (
          <p className="form-problem">The server refused these recipients: {outcome.rejected.join(', ')}</p>
        )}
      </div>
    );
  }
  if (outcome.kind === 'failed') {
    return (
      <div className="send-failed">
        <ErrorNotice error={outcome.error} title="Not sent" />
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
    );
  }
  if (outcome.kind === 'cancelled') {
    return <p role="status">Not sent: the message was taken back.</p>;
  }
  if (outcome.kind === 'sending') {
    const progress =
      outcome.bytesTotal && outcome.bytesSent !== undefined
        ? ` ${formatBytes(outcome.bytesSent)} of ${formatBytes(outcome.bytesTotal)}`
        : '';
    return (
      <p role="status">
        Sending…{progress}
        {outcome.bytesTotal ? (
          <progress max={outcome.bytesTotal} value={outcome.bytesSent ?? 0} aria-label="Sending progress" />
        ) : null}
      </p>
    );
  }
  const when = outcome.holdUntil ?? outcome.nextAttemptAt;
  return (
    <p role="status">
      {outcome.undoable
        ? 'Queued: sending in a few seconds.'
        : outcome.nextAttemptAt
          ? `Queued: the server could not take it yet; next try at ${formatDateTime(outcome.nextAttemptAt)}.`
          : when
            ? `Queued: to be sent at ${formatDateTime(when)}.`
            : 'Queued in the Outbox: sending…'}{' '}
      {onUndo && outcome.undoable && (
        <button type="button" onClick={onUndo}>
          Undo
        </button>
      )}
    </p>
  );
}
