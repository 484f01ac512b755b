import type { SendStatus } from '../../../shared/ipc/contract';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { MailroomError } from '../../../shared/result';
import { formatBytes } from '../../../shared/domain/byte-size';
import { formatDateTime } from '../../../shared/domain/date-time';

/** Where a send stands, as the compose window shows it (the outbox's sendStatus events drive it). */
export type Outcome =
  | { kind: 'idle' }
  /** sendMessage called, not yet answered. */
  | { kind: 'submitting' }
  | {
      kind: 'queued';
      outboxId?: string;
      holdUntil?: string;
      undoable: boolean;
      scheduled?: boolean;
      nextAttemptAt?: string;
      /** Why the last attempt did not go (the outbox tries again at nextAttemptAt). */
      error?: MailroomError;
    }
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
        ...(status.holdReason === 'scheduled' ? { scheduled: true } : {}),
        ...(status.error ? { error: status.error } : {}),
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

/** An outbox entry's state as an outcome (after Retry the outbox's change events carry it on). */
export function outcomeFromEntry(entry: OutboxEntry): Outcome {
  return outcomeFromStatus({
    requestId: '',
    state: entry.state,
    outboxId: entry.id,
    ...(entry.holdUntil ? { holdUntil: entry.holdUntil } : {}),
    ...(entry.holdReason ? { holdReason: entry.holdReason } : {}),
    ...(entry.nextAttemptAt ? { nextAttemptAt: entry.nextAttemptAt } : {}),
    ...(entry.lastError && entry.state !== 'sent' ? { error: entry.lastError } : {}),
    ...(entry.response !== undefined ? { response: entry.response } : {}),
    ...(entry.recipients ? { rejected: entry.recipients } : {}),
  });
}

/** A later event replaces an earlier one, except that nothing comes after "sent" or "cancelled". */
export function nextOutcome(current: Outcome, event: Outcome): Outcome {
  return current.kind === 'sent' || current.kind === 'cancelled' ? current : event;
}

interface Props {
  outcome: Exclude<Outcome, { kind: 'idle' } | { kind: 'submitting' }>;
  onRetry: (() => void) | null;
  onUndo: (() => void) | null;
  /** Back to compose with the message (it leaves the Outbox). */
  onEdit: (() => void) | null;
}

/** "Not sent: <reason>. <hint>", with what to do about it right there. */
function NotSent({
  error,
  prefix,
  after,
  onRetry,
  onEdit,
}: {
  error: MailroomError;
  prefix: string;
  after?: string;
  onRetry: (() => void) | null;
  onEdit: (() => void) | null;
}) {
  return (
    <div className="notice notice-error send-not-sent" role="alert" data-error-code={error.code}>
      <p className="notice-message">
        <strong>{prefix}</strong> {error.message}
        {error.hint ? ` ${error.hint}` : ''}
        {after ? ` ${after}` : ''}
      </p>
      <div className="actions">
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
        {onEdit && (
          <button type="button" onClick={onEdit}>
            Edit
          </button>
        )}
      </div>
    </div>
  );
}

/** The outcome of a message already handed to the outbox. */
export function SendOutcomeNotice({ outcome, onRetry, onUndo, onEdit }: Props) {
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
    return <NotSent error={outcome.error} prefix="Not sent:" onRetry={onRetry} onEdit={onEdit} />;
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
  if (outcome.error) {
    return (
      <NotSent
        error={outcome.error}
        prefix="Not sent yet:"
        after={
          outcome.nextAttemptAt
            ? `Mailroom tries again by itself (next try: ${formatDateTime(outcome.nextAttemptAt)}).`
            : 'Mailroom tries again by itself.'
        }
        onRetry={onRetry}
        onEdit={onEdit}
      />
    );
  }
  const when = outcome.holdUntil ?? outcome.nextAttemptAt;
  if (outcome.scheduled && when) {
    return (
      <p role="status">
        Scheduled: to be sent {formatDateTime(when)}. It waits in the Outbox, where you can change or cancel
        it.{' '}
        {onEdit && (
          <button type="button" onClick={onEdit}>
            Edit
          </button>
        )}
      </p>
    );
  }
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
