import { useId, useState } from 'react';
import type { MergeJob, MergeJobState } from '../../../shared/domain/mail-merge';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { describeEntry } from '../../../shared/domain/outbox-states';
import type { Result } from '../../../shared/result';
import { formatDateTime } from '../../../shared/domain/date-time';
import { mailroom } from '../mailroom-api';
import { ConfirmDialog } from '../accounts/confirm-dialog';
import { MergeLeftOut } from './merge-left-out';
import { describeJobPace, describeThrottle } from './merge-pace-text';
import '../accounts/accounts.css';
import './merge-job.css';

type Act = <T>(run: () => Promise<Result<T>>) => Promise<void>;

const STATE_WORDS: Record<MergeJobState, string> = {
  enqueuing: 'Queuing the rows…',
  active: 'Sending',
  paused: 'Paused',
  cancelled: 'Cancelled',
  done: 'Done',
};

/**
 * A mail-merge job as one row of the Outbox: its progress over all its rows, the pace and when the
 * rest will go, why it was slowed down, Pause/Resume/Cancel, and (expanded) its rows still in the
 * outbox and the rows left out before queuing.
 */
export function MergeJobItem({
  job,
  rows,
  act,
  onJob,
}: {
  job: MergeJob;
  /** This job's entries in the Outbox (sent rows are in Sent). */
  rows: OutboxEntry[];
  act: Act;
  onJob: (job: MergeJob) => void;
}) {
  const subjectId = useId();
  const rowsId = useId();
  const [expanded, setExpanded] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [busy, setBusy] = useState(false);
  const { counts } = job;
  const subject = job.subject || '(no subject)';
  const finished = counts.sent + counts.failed + counts.cancelled;
  const remaining = counts.queued + counts.sending;
  const open = job.state === 'active' || job.state === 'paused' || job.state === 'enqueuing';
  const pace = job.state === 'active' ? describeJobPace(job.pacing, remaining) : '';
  const throttle = job.state === 'active' || job.state === 'paused' ? describeThrottle(job.pacing) : null;
  const described = { 'aria-describedby': subjectId };

  async function control(run: () => Promise<Result<MergeJob>>) {
    setBusy(true);
    await act(async () => {
      const result = await run();
      if (result.ok) onJob(result.value);
      return result;
    });
    setBusy(false);
  }

  const countParts: [string, number, string][] = [
    ['sent', counts.sent, 'sent'],
    ['sending', counts.sending, 'sending'],
    ['queued', counts.queued, 'waiting'],
    ['failed', counts.failed, 'failed'],
    ['cancelled', counts.cancelled, 'cancelled'],
    ['skipped', counts.skipped, 'left out'],
  ];

  return (
    <li className={`merge-job merge-job-${job.state}`} data-state={job.state} data-job={job.id}>
      <div className="merge-job-head">
        <svg className="merge-job-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <rect
            x="3.5"
            y="4"
            width="17"
            height="16"
            rx="2"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
          />
          <path d="M3.5 9h17M3.5 14h17M9 4v16" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
        <div className="merge-job-title">
          <strong id={subjectId}>{subject}</strong>
          <span className="merge-job-meta">
            To {counts.total} recipient{counts.total === 1 ? '' : 's'} from {job.fileName} · {job.from} ·
            started {formatDateTime(job.createdAt)}
          </span>
        </div>
        <span
          className={`merge-job-state${job.state === 'done' && counts.failed > 0 ? ' merge-job-state-problem' : ''}`}
          data-testid="merge-job-state"
        >
          {STATE_WORDS[job.state]}
          {job.state === 'done' && counts.failed > 0 && `, ${counts.failed} not sent`}
        </span>
      </div>
      <div className="merge-job-progress">
        <progress aria-label={`Progress of ${subject}`} max={Math.max(1, counts.total)} value={finished} />
        <span data-testid="merge-job-progress">
          {finished} of {counts.total}
        </span>
      </div>
      <ul className="merge-job-counts" aria-label={`Rows of ${subject}`}>
        {countParts
          .filter(([key, n]) => n > 0 || key === 'sent')
          .map(([key, n, word]) => (
            <li key={key} className={`merge-count merge-count-${key}`} data-count={key}>
              <span className="merge-count-dot" aria-hidden="true" />
              {n} {word}
            </li>
          ))}
      </ul>
      {job.state === 'paused' && (
        <p className="merge-job-line">Paused: nothing more goes out until you resume the job.</p>
      )}
      {pace && <p className="merge-job-line">{pace}</p>}
      {throttle && <p className="merge-job-line merge-job-throttle">{throttle}</p>}
      <div className="actions merge-job-actions">
        {job.state === 'active' && (
          <button
            type="button"
            {...described}
            disabled={busy}
            onClick={() => void control(() => mailroom().pauseMerge({ jobId: job.id }))}
          >
            Pause
          </button>
        )}
        {job.state === 'paused' && (
          <button
            type="button"
            className="primary"
            {...described}
            disabled={busy}
            onClick={() => void control(() => mailroom().resumeMerge({ jobId: job.id }))}
          >
            Resume
          </button>
        )}
        {open && (
          <button type="button" {...described} disabled={busy} onClick={() => setConfirmCancel(true)}>
            Cancel…
          </button>
        )}
        <button
          type="button"
          {...described}
          aria-expanded={expanded}
          aria-controls={rowsId}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Hide rows' : 'Show rows'}
        </button>
      </div>
      {expanded && (
        <div id={rowsId} className="merge-job-rows">
          {rows.length > 0 ? (
            <ul className="merge-row-list" aria-label={`Rows of ${subject} in the outbox`}>
              {rows.map((entry) => (
                <MergeRowItem key={entry.id} entry={entry} act={act} />
              ))}
            </ul>
          ) : (
            <p className="merge-muted">
              {counts.sent > 0 ? 'No row is waiting: the sent ones are in Sent.' : 'No row is in the outbox.'}
            </p>
          )}
          {job.skipped.length > 0 && <MergeLeftOut skipped={job.skipped} />}
        </div>
      )}
      {confirmCancel && (
        <ConfirmDialog
          title={`Cancel “${subject}”?`}
          message={`The ${remaining} message${remaining === 1 ? '' : 's'} not sent yet will not go out (one already on its way finishes). The ${counts.sent} already sent stay sent. To send to the rest later, send to the list again.`}
          confirmLabel="Cancel the job"
          cancelLabel="Keep sending"
          busyLabel="Cancelling…"
          busy={busy}
          onCancel={() => setConfirmCancel(false)}
          onConfirm={() =>
            void control(() => mailroom().cancelMerge({ jobId: job.id })).then(() => setConfirmCancel(false))
          }
        />
      )}
    </li>
  );
}

function MergeRowItem({ entry, act }: { entry: OutboxEntry; act: Act }) {
  const [now] = useState(() => Date.now());
  const status = describeEntry(entry, now, formatDateTime);
  const to = entry.to[0] ?? '';
  const name = entry.displayNames?.[to];
  return (
    <li className={`merge-row merge-row-${entry.state}`} data-row={entry.merge?.row}>
      <span className="merge-row-number">Row {entry.merge?.row}</span>
      <span className="merge-row-to">{name ? `${name} <${to}>` : to}</span>
      <span className="merge-row-status">{status}</span>
      {entry.state === 'failed' && (
        <button
          type="button"
          aria-label={`Retry row ${entry.merge?.row}`}
          onClick={() => void act(() => mailroom().retryOutboxEntry({ id: entry.id }))}
        >
          Retry
        </button>
      )}
      {entry.lastError && (entry.state === 'failed' || entry.state === 'queued') && (
        <span className="merge-row-error">
          {entry.lastError.message} {entry.lastError.hint}
        </span>
      )}
    </li>
  );
}
