import type { AccountSummary } from '../../../shared/domain/account';
import { startNewMessage } from './new-message';
import { SendOutcomeNotice, type Outcome } from './send-outcome';

/** What replaces the form once the message is handed over: the outcome, and where to go next. */
export function ComposeDone({
  outcome,
  onRetry,
  onUndo,
  standalone,
  accounts,
  defaultAccountId,
  onClose,
}: {
  outcome: Exclude<Outcome, { kind: 'idle' } | { kind: 'submitting' }>;
  onRetry: (o: Extract<Outcome, { kind: 'failed' }>) => (() => void) | null;
  onUndo: (o: Outcome) => (() => void) | null;
  standalone: boolean;
  accounts: AccountSummary[];
  defaultAccountId: string | null;
  onClose: () => void;
}) {
  return (
    <section className="compose compose-done" aria-live="polite">
      <h2>New message</h2>
      <SendOutcomeNotice
        outcome={outcome}
        onRetry={outcome.kind === 'failed' ? onRetry(outcome) : null}
        onUndo={onUndo(outcome)}
      />
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
