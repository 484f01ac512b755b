import { useEffect, useRef } from 'react';
import type { MergeReceipt } from '../../../shared/domain/mail-merge';

/**
 * What the compose window shows once a list is queued: how many messages, how many rows were left
 * out, and where the progress is (the Outbox, where the job can be paused or cancelled).
 */
export function MergeStarted({
  receipt,
  standalone,
  onClose,
}: {
  receipt: MergeReceipt;
  standalone: boolean;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const { queued, skipped, job } = receipt;
  return (
    <section className="compose compose-done merge-started">
      <h2>Send to a list</h2>
      <div
        ref={ref}
        className="notice notice-success compose-outcome"
        tabIndex={-1}
        role="status"
        aria-label="Send outcome"
      >
        <p>
          <strong>
            {queued} message{queued === 1 ? '' : 's'} queued
          </strong>{' '}
          from {job.fileName}
          {skipped.length > 0 &&
            `; ${skipped.length} row${skipped.length === 1 ? '' : 's'} left out (listed with the job)`}
          .
        </p>
        <p>
          They go out from the Outbox at the account’s pace; there you can follow, pause or cancel the job.
        </p>
      </div>
      {standalone && (
        <div className="actions">
          <button type="button" onClick={onClose}>
            Close window
          </button>
        </div>
      )}
    </section>
  );
}
