import { useEffect, useId, useRef, useState } from 'react';
import {
  TEST_MESSAGE_SUBJECT,
  TEST_MESSAGE_WAIT_MS,
  type TestMessageResult,
} from '../../../shared/domain/test-message';
import { checkEmailAddress } from '../../../shared/domain/email-address';
import type { MailroomError } from '../../../shared/result';
import { ErrorNotice } from '../common/error-notice';
import { TextField } from '../common/field';
import { mailroom } from '../mailroom-api';
import { COUNTDOWN_AFTER_MS, secondsLeft, useNow } from './use-now';

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; startedAt: number }
  | { kind: 'sent'; result: TestMessageResult }
  | { kind: 'failed'; error: MailroomError };

/**
 * "Send a test message": proof that an account really sends. A short message from the account to
 * itself (or to the address typed here) goes through the real outbox; the server's reply and its
 * queue ID, or the failure with its fix, are shown here. Used at the end of setup and in Accounts.
 */
export function TestMessagePanel({
  accountId,
  address,
  autoStart = false,
  headingLevel = 3,
}: {
  accountId: string;
  /** The account's own address: where the test goes unless the user types another. */
  address: string;
  /** Send at once (the user already asked for it, e.g. "Save and send a test message"). */
  autoStart?: boolean;
  headingLevel?: 3 | 4;
}) {
  const headingId = useId();
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const now = useNow(phase.kind === 'sending');
  const started = useRef(false);

  async function send() {
    const typed = to.trim();
    if (typed) {
      const check = checkEmailAddress(typed);
      if (!check.ok) return setProblem(check.message);
    }
    setProblem(null);
    setPhase({ kind: 'sending', startedAt: Date.now() });
    const sent = await mailroom().sendTestMessage({ accountId, ...(typed ? { to: typed } : {}) });
    setPhase(sent.ok ? { kind: 'sent', result: sent.value } : { kind: 'failed', error: sent.error });
  }

  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      void send();
    }
    // Only once, when the panel first shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoStart]);

  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="test-message" aria-labelledby={headingId}>
      <Heading id={headingId}>Test message</Heading>
      <p className="field-help">
        Sends “{TEST_MESSAGE_SUBJECT}”, a few lines of text, from {address} to {to.trim() || 'itself'},
        through the outbox like any message, and shows what the server answered.
      </p>
      <TextField
        label="Send the test to"
        help="Leave empty to send it to the account’s own address."
        type="email"
        placeholder={address}
        value={to}
        disabled={phase.kind === 'sending'}
        onChange={(value) => setTo(value)}
      />
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="button" disabled={phase.kind === 'sending'} onClick={() => void send()}>
          {phase.kind === 'sending' ? 'Sending the test message…' : 'Send a test message'}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {phase.kind === 'sending' && (
          <p>
            <progress aria-label="Sending the test message" /> Waiting for the server to take the test message
            {now - phase.startedAt >= COUNTDOWN_AFTER_MS
              ? `: gives up in ${secondsLeft(phase.startedAt, TEST_MESSAGE_WAIT_MS, now)} s.`
              : '…'}
          </p>
        )}
        {phase.kind === 'sent' && (
          <div className="notice notice-success" data-test-message="sent">
            <p className="notice-message">
              <strong>The server accepted the test message.</strong> It went from {phase.result.from} to{' '}
              {phase.result.to} with the subject “{phase.result.subject}”.
            </p>
            <p>
              Server reply: <code className="server-reply">{phase.result.response}</code>
            </p>
            <p>
              {phase.result.queueId ? (
                <>
                  Queue ID: <code className="queue-id">{phase.result.queueId}</code> (the server’s logs name
                  the message by it, if you need to ask your provider about it).
                </>
              ) : (
                'The server’s reply names no queue ID.'
              )}
            </p>
          </div>
        )}
      </div>
      {phase.kind === 'failed' && <ErrorNotice error={phase.error} title="The test message was not sent" />}
    </section>
  );
}
