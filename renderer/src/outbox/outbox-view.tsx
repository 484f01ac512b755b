import { useEffect, useId, useState } from 'react';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { MailroomError, Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { editInCompose } from './edit-in-compose';
import { formatBytes } from '../../../shared/domain/byte-size';
import { formatTime } from './format';
import { describeEntry, phaseOf } from '../../../shared/domain/outbox-states';
import { recipientNames } from '../sent/mailbox-text';
import { useOutbox } from './use-outbox';
import { MergeJobItem } from '../merge/merge-job-item';
import { useMergeJobs } from '../merge/use-merge-jobs';
import './outbox.css';

/**
 * What waits to go out or needs attention, one row each: where it stands (the undo window, a
 * scheduled time, a retry, a failure with its reason and what to do), with Send now, Edit and Cancel.
 * Sent mail has its own place (SentView).
 */
export function OutboxView() {
  const { entries, error } = useOutbox('outbox');
  const merge = useMergeJobs();
  // A merge's rows are shown with their job, not one by one among the other messages.
  const singles = entries?.filter((entry) => !entry.merge) ?? null;
  const jobs = merge.jobs ?? [];
  const rowsOf = (jobId: string) =>
    (entries ?? []).filter((e) => e.merge?.jobId === jobId).sort((a, b) => a.merge!.row - b.merge!.row);
  const [actionError, setActionError] = useState<MailroomError | null>(null);

  async function act<T>(run: () => Promise<Result<T>>) {
    setActionError(null);
    const result = await run();
    if (!result.ok) setActionError(result.error);
  }

  return (
    <section aria-labelledby="outbox-heading" className="panel outbox">
      <h2 id="outbox-heading" className="place-heading">
        Outbox
      </h2>
      {error && <ErrorNotice error={error} title="The outbox could not be read" />}
      {actionError && <ErrorNotice error={actionError} />}
      {entries === null && !error && (
        <p role="status" aria-live="polite">
          Loading…
        </p>
      )}
      {merge.error && <ErrorNotice error={merge.error} title="The lists being sent could not be read" />}
      {jobs.length > 0 && (
        <ul className="outbox-list" aria-label="Lists being sent">
          {jobs.map((job) => (
            <MergeJobItem key={job.id} job={job} rows={rowsOf(job.id)} act={act} onJob={merge.update} />
          ))}
        </ul>
      )}
      {singles?.length === 0 && jobs.length === 0 && (
        <p className="empty-place">Nothing waiting to be sent.</p>
      )}
      {singles && singles.length > 0 && (
        <ul className="outbox-list" aria-label="Messages in the outbox">
          {singles.map((entry) => (
            <OutboxItem key={entry.id} entry={entry} act={act} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Act = <T>(run: () => Promise<Result<T>>) => Promise<void>;

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
  const phase = phaseOf(entry, now);
  const subject = entry.subject || '(no subject)';
  const described = { 'aria-describedby': subjectId };
  const recipients = recipientNames([...entry.to, ...entry.cc], entry.displayNames);
  const bcc = entry.bcc.length ? `${recipients ? ', ' : ''}Bcc ${entry.bcc.join(', ')}` : '';
  const files = entry.attachmentCount ?? 0;
  const status = describeEntry(entry, now, formatTime);

  return (
    <li className={`outbox-item outbox-${entry.state}`} data-state={entry.state} data-phase={phase}>
      <div className="outbox-summary">
        <strong id={subjectId}>{subject}</strong>
        <span className="outbox-recipients">
          To {recipients}
          {bcc}
        </span>
        <span className="outbox-meta">
          <span data-testid="outbox-status" className="outbox-status">
            {status}
          </span>
          {' · '}
          {formatBytes(entry.size)}
          {files > 0 && ` · ${files} attachment${files === 1 ? '' : 's'}`}
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
      {entry.lastError && entry.state === 'failed' && (
        <ErrorNotice error={entry.lastError} title="Not sent" />
      )}
      {entry.lastError && entry.state === 'queued' && (
        <p className="outbox-retry-reason">
          {entry.lastError.message} {entry.lastError.hint}
        </p>
      )}
      <div className="actions">
        {(entry.state === 'queued' || entry.state === 'failed') && (
          <button
            type="button"
            {...described}
            onClick={() => void act(() => mailroom().retryOutboxEntry({ id: entry.id }))}
          >
            {entry.state === 'failed' ? 'Retry' : 'Send now'}
          </button>
        )}
        {/* Edit (and Undo) take the message back as a draft: nothing of it is left here to go out. */}
        {entry.state !== 'sending' && (
          <button type="button" {...described} onClick={() => void act(() => editInCompose(entry.id))}>
            {phase === 'undo-window' ? 'Undo send' : 'Edit'}
          </button>
        )}
        {entry.state === 'queued' && (
          <button
            type="button"
            {...described}
            onClick={() => void act(() => mailroom().cancelOutboxEntry({ id: entry.id }))}
          >
            Cancel
          </button>
        )}
        {/* A cancelled message is only kept to be edited or deleted: it is never offered to be sent. */}
        {(entry.state === 'failed' || entry.state === 'cancelled') && (
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
