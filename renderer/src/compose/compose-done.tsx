import { useEffect, useRef } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import { startNewMessage } from './new-message';
import { SendOutcomeNotice, type Outcome } from './send-outcome';

type Shown = Exclude<Outcome, { kind: 'idle' } | { kind: 'submitting' }>;

/**
 * What replaces the form once the message is handed over: the outcome, and where to go next. The
 * focus moves to the outcome, so its first action (Undo, or Retry) is the next Tab away.
 */
export function ComposeDone({
  outcome,
  onRetry,
  onUndo,
  onEdit,
  standalone,
  accounts,
  defaultAccountId,
  onClose,
}: {
  outcome: Shown;
  /** Sends a message the outbox holds now (after a failure, or while it waits to try again). */
  onRetry: (outboxId: string) => void;
  onUndo: (outboxId: string) => void;
  /** Takes the message out of the outbox and back to compose. */
  onEdit: (outboxId: string) => void;
  standalone: boolean;
  accounts: AccountSummary[];
  defaultAccountId: string | null;
  onClose: () => void;
}) {
  const regionRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    regionRef.current?.focus();
  }, []);
  const outboxId = 'outboxId' in outcome ? outcome.outboxId : undefined;
  const retryable = outcome.kind === 'failed' || (outcome.kind === 'queued' && !!outcome.error);
  const editable = retryable || (outcome.kind === 'queued' && !!outcome.scheduled);
  return (
    <section className="compose compose-done">
      <h2>New message</h2>
      <div
        ref={regionRef}
        className="compose-outcome"
        tabIndex={-1}
        role="region"
        aria-live="polite"
        aria-label="Send outcome"
      >
        <SendOutcomeNotice
          outcome={outcome}
          onRetry={outboxId && retryable ? () => onRetry(outboxId) : null}
          onUndo={outboxId ? () => onUndo(outboxId) : null}
          onEdit={outboxId && editable ? () => onEdit(outboxId) : null}
        />
      </div>
      <div className="actions">
        <button type="button" onClick={() => void startNewMessage(accounts, defaultAccountId)}>
          Write another message
        </button>
        {standalone && (
          <button type="button" onClick={onClose}>
            Close window
          </button>
        )}
      </div>
    </section>
  );
}
