import { useEffect, useId, useState } from 'react';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { MailroomError, Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { editInCompose } from './edit-in-compose';
import { formatBytes } from '../../../shared/domain/byte-size';
import { formatTime } from './format';
import { describeEntry, isFinished } from '../../../shared/domain/outbox-states';
import { useOutbox, type OutboxViewName } from './use-outbox';
import './outbox.css';

/** Outbox or sent history (the sidebar picks which): live status; retry, cancel, edit; open, save, resend. */
export function OutboxView({ view = 'outbox' }: { view?: OutboxViewName } = {}) {
  const { entries, error } = useOutbox(view);
  const [actionError, setActionError] = useState<MailroomError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function act<T>(run: () => Promise<Result<T>>, done?: (value: T) => string | null) {
    setActionError(null);
    setNotice(null);
    const result = await run();
    if (!result.ok) setActionError(result.error);
    else if (done) setNotice(done(result.value));
  }

  return (
    <section aria-labelledby="outbox-heading" className="panel outbox">
      <h2 id="outbox-heading">{view === 'outbox' ? 'Outbox' : 'Sent'}</h2>
      {error && <ErrorNotice error={error} title="The outbox could not be read" />}
      {actionError && <ErrorNotice error={actionError} />}
      <div aria-live="polite">{notice && <p role="status">{notice}</p>}</div>
      {entries === null && !error && (
        <p role="status" aria-live="polite">
          Loading…
        </p>
      )}
      {entries?.length === 0 && (
        <p>{view === 'outbox' ? 'Nothing waiting to be sent.' : 'No sent messages yet.'}</p>
      )}
      {entries && entries.length > 0 && (
        <ul
          className="outbox-list"
          aria-label={view === 'outbox' ? 'Messages in the outbox' : 'Sent messages'}
        >
          {entries.map((entry) => (
            <OutboxItem key={entry.id} entry={entry} act={act} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Act = <T>(run: () => Promise<Result<T>>, done?: (value: T) => string | null) => Promise<void>;

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function OutboxItem({ entry, act }: { entry: OutboxEntry; act: Act }) {
  const subjectId = useId();
  const now = useNow(entry.state === 'queued' && !!entry.holdUntil);
  const holding = entry.state === 'queued' && !!entry.holdUntil && Date.parse(entry.holdUntil) > now;
  const subject = entry.subject || '(no subject)';
  const described = { 'aria-describedby': subjectId };
  const recipients = [...entry.to, ...entry.cc, ...entry.bcc.map((b) => `${b} (Bcc)`)].join(', ');
  const rejected = (entry.recipients ?? []).filter((r) => !r.accepted);

  const status = describeEntry(entry, now, formatTime);

  return (
    <li className={`outbox-item outbox-${entry.state}`} data-state={entry.state}>
      <div className="outbox-summary">
        <strong id={subjectId}>{subject}</strong>
        <span className="outbox-recipients">To {recipients}</span>
        <span className="outbox-meta">
          {formatBytes(entry.size)} · <span data-testid="outbox-status">{status}</span>
          {entry.resumedAfterCrash &&
            entry.state !== 'sent' &&
            ' · interrupted by a restart; sent again with the same Message-ID'}
        </span>
      </div>
      {entry.state === 'sending' && (
        <div className="outbox-progress">
          <progress
            aria-label={`Sending progress for ${subject}`}
            max={entry.size}
            value={entry.bytesSent ?? 0}
          />
          <span>
            {formatBytes(entry.bytesSent ?? 0)} of {formatBytes(entry.size)}
          </span>
        </div>
      )}
      {entry.state === 'sent' && entry.response && (
        <p className="outbox-reply">
          The server replied: <code>{entry.response}</code>
        </p>
      )}
      {rejected.length > 0 && (
        <p className="form-problem">
          Not delivered to:{' '}
          {rejected.map((r) => (r.reply ? `${r.address} (${r.reply})` : r.address)).join('; ')}
        </p>
      )}
      {entry.lastError && entry.state === 'failed' && (
        <ErrorNotice error={entry.lastError} title="Not sent" />
      )}
      {entry.lastError && entry.state === 'queued' && (
        <p className="outbox-retry-reason">
          {entry.lastError.message} {entry.lastError.hint}
        </p>
      )}
      <div className="actions">
        {(entry.state === 'queued' || entry.state === 'failed' || entry.state === 'cancelled') && (
          <button
            type="button"
            {...described}
            onClick={() => void act(() => mailroom().retryOutboxEntry({ id: entry.id }))}
          >
            {entry.state === 'failed' ? 'Retry' : entry.state === 'cancelled' ? 'Send anyway' : 'Send now'}
          </button>
        )}
        {(entry.state === 'queued' || entry.state === 'failed') && (
          <button
            type="button"
            {...described}
            onClick={() => void act(() => mailroom().cancelOutboxEntry({ id: entry.id }))}
          >
            {holding && entry.holdReason === 'undo' ? 'Undo send' : 'Cancel'}
          </button>
        )}
        {entry.state !== 'sending' && (
          <button type="button" {...described} onClick={() => void act(() => editInCompose(entry.id))}>
            {entry.state === 'sent' ? 'Edit as new' : 'Edit'}
          </button>
        )}
        {entry.state === 'sent' && entry.hasMessageFile && (
          <>
            <button
              type="button"
              {...described}
              onClick={() =>
                void act(
                  () => mailroom().openSentMessage({ id: entry.id }),
                  (file) => (file.handled ? null : `The message is stored at ${file.path}`),
                )
              }
            >
              Open
            </button>
            <button
              type="button"
              {...described}
              onClick={() =>
                void act(
                  () => mailroom().saveSentMessage({ id: entry.id }),
                  (file) =>
                    file.savedTo
                      ? `Saved as ${file.savedTo}`
                      : file.handled
                        ? null
                        : `Copy ${file.path} to keep it as “${file.fileName}”.`,
                )
              }
            >
              Save as .eml
            </button>
            <button
              type="button"
              {...described}
              onClick={() =>
                void act(
                  () => mailroom().resendSentMessage({ id: entry.id }),
                  () => 'Queued again as a new message.',
                )
              }
            >
              Resend
            </button>
          </>
        )}
        {isFinished(entry.state) && (
          <button
            type="button"
            {...described}
            onClick={() => void act(() => mailroom().removeOutboxEntry({ id: entry.id }))}
          >
            Delete
          </button>
        )}
      </div>
    </li>
  );
}
