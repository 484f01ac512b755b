import { useEffect, useState, type ReactNode } from 'react';
import type { MailroomError } from '../../../shared/result';
import { ErrorNotice } from '../common/error-notice';
import { editInCompose } from './edit-in-compose';
import { formatSize, formatTime, secondsUntil } from './format';
import { useSendStatus } from './send-status-store';

/** Re-renders once a second while `active`, for countdowns. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * The live state of one send while it is in the outbox, for the compose window: the undo countdown
 * with an Undo button, a scheduled time, a retry after a temporary failure, or bytes sent so far.
 * Sent and failed are left to the caller (it shows the server's reply or the error its own way).
 */
export function SendProgress({ requestId }: { requestId: string }) {
  const status = useSendStatus(requestId);
  const holding = status?.state === 'queued' && !!status.holdUntil;
  const now = useNow(holding);
  const [undo, setUndo] = useState<
    { kind: 'idle' | 'working' | 'done' } | { kind: 'failed'; error: MailroomError }
  >({
    kind: 'idle',
  });

  if (!status) return <p role="status">Queued: waiting to be sent…</p>;

  async function undoSend() {
    if (!status?.outboxId) return;
    setUndo({ kind: 'working' });
    const result = await editInCompose(status.outboxId);
    setUndo(result.ok ? { kind: 'done' } : { kind: 'failed', error: result.error });
  }

  if (undo.kind === 'done' || status.state === 'cancelled') {
    return <p role="status">Sending cancelled. The message is open again as a draft.</p>;
  }

  const undoButton = (label: string) => (
    <button type="button" onClick={() => void undoSend()} disabled={undo.kind === 'working'}>
      {label}
    </button>
  );

  let line: ReactNode;
  if (status.state === 'queued' && status.holdReason === 'undo' && status.holdUntil) {
    const left = secondsUntil(status.holdUntil, now);
    line = (
      <>
        <p role="status">{left > 0 ? `Sending in ${left} s…` : 'Sending…'}</p>
        {left > 0 && undoButton('Undo send')}
      </>
    );
  } else if (status.state === 'queued' && status.holdReason === 'scheduled' && status.holdUntil) {
    line = (
      <>
        <p role="status">Scheduled: it will be sent at {formatTime(status.holdUntil)}.</p>
        {undoButton('Cancel and edit')}
      </>
    );
  } else if (status.state === 'queued' && status.error) {
    line = (
      <>
        <p role="status">
          Not sent yet: {status.error.message} Mailroom tries again
          {status.nextAttemptAt ? ` at ${formatTime(status.nextAttemptAt)}` : ' shortly'}.
        </p>
        {undoButton('Cancel and edit')}
      </>
    );
  } else if (status.state === 'sending') {
    const total = status.bytesTotal ?? 0;
    const sent = Math.min(status.bytesSent ?? 0, total);
    line = (
      <>
        <p role="status">
          Sending…{total > 256 * 1024 ? ` ${formatSize(sent)} of ${formatSize(total)}` : ''}
        </p>
        {total > 256 * 1024 && <progress aria-label="Sending progress" max={total} value={sent} />}
      </>
    );
  } else {
    line = <p role="status">Queued: waiting to be sent…</p>;
  }
  return (
    <div className="send-progress">
      {line}
      {undo.kind === 'failed' && <ErrorNotice error={undo.error} title="Could not undo" />}
    </div>
  );
}
