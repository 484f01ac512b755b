import { useState } from 'react';
import { ErrorNotice } from '../common/error-notice';
import type { Outcome } from './send-outcome';
import { reminderText, type Reminder } from './send-checks';
import { SendLaterMenu } from './send-later-menu';

/**
 * Discard (with its confirmation), why sending is blocked, Send and Send later, the reminders asked
 * before a send (no subject, "attached" without an attachment), and below it the live region that
 * reports a send in progress or a send that failed before the message was handed over.
 */
export function SendBar({
  blocker,
  showBlocker,
  busy,
  outcome,
  reminders,
  onSend,
  onSendLater,
  onSendAnyway,
  onReminderBack,
  onDiscard,
  onSendToList,
}: {
  blocker: string | null;
  /** The blocker is only worth saying once the user has started on the message. */
  showBlocker: boolean;
  busy: boolean;
  outcome: Outcome;
  /** Asked before this send; empty when nothing is asked. */
  reminders: Reminder[];
  onSend: () => void;
  onSendLater: (at: Date) => void;
  onSendAnyway: () => void;
  onReminderBack: () => void;
  onDiscard: () => void;
  /** "Send to a list…": one message per row of a CSV file (absent while there is no sender). */
  onSendToList?: (() => void) | undefined;
}) {
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  return (
    <div className="send-bar">
      {reminders.length > 0 && (
        <div className="notice notice-warning send-reminders" role="group" aria-label="Before you send">
          <ul>
            {reminders.map((r) => (
              <li key={r.kind}>{reminderText(r)}</li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" onClick={onReminderBack} autoFocus>
              {reminders[0]?.kind === 'no-subject' ? 'Add a subject' : 'Attach files…'}
            </button>
            <button type="button" className="primary" onClick={onSendAnyway}>
              Send anyway
            </button>
          </div>
        </div>
      )}
      <div className="actions">
        {confirmDiscard ? (
          <span className="discard-confirm" role="group" aria-label="Discard this draft?">
            Discard this draft? It cannot be brought back.{' '}
            <button type="button" className="danger" onClick={onDiscard}>
              Discard draft
            </button>{' '}
            <button type="button" onClick={() => setConfirmDiscard(false)}>
              Keep editing
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirmDiscard(true)} disabled={busy}>
            Discard…
          </button>
        )}
        <span className="actions-spacer" />
        {blocker && showBlocker && (
          <span className="form-problem" id="send-blocker">
            {blocker}
          </span>
        )}
        {onSendToList && (
          <button
            type="button"
            onClick={onSendToList}
            disabled={busy}
            title="One message per row of a CSV list"
          >
            Send to a list…
          </button>
        )}
        <SendLaterMenu disabled={!!blocker || busy} onSchedule={onSendLater} />
        <button
          type="submit"
          className="primary"
          disabled={!!blocker || busy}
          aria-describedby={blocker ? 'send-blocker' : undefined}
          title={blocker ?? 'Send (Ctrl+Enter)'}
        >
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      <div aria-live="polite">
        {busy && <p role="status">Sending…</p>}
        {outcome.kind === 'failed' && (
          <div className="send-failed">
            <ErrorNotice error={outcome.error} title="Not sent" />
            <button type="button" onClick={onSend} disabled={!!blocker}>
              Retry
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
