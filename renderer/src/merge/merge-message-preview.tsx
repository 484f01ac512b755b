import { useId, useState } from 'react';
import type { MergePreview } from '../../../shared/domain/mail-merge';
import { MessageFrame } from '../sent/message-frame';

/**
 * The first rows' messages exactly as the core will send them (To with the row's name, the subject
 * and body with the row's values), one at a time, with the row number they come from.
 */
export function MergeMessagePreview({ preview }: { preview: MergePreview }) {
  const [index, setIndex] = useState(0);
  const headingId = useId();
  const rows = preview.rows;
  const at = Math.min(index, Math.max(0, rows.length - 1));
  const row = rows[at];

  return (
    <section className="merge-preview" aria-labelledby={headingId}>
      <div className="merge-preview-toolbar">
        <h3 id={headingId}>Preview</h3>
        {row && (
          <span className="merge-preview-position" aria-live="polite">
            Message {at + 1} of {preview.sendableRows} · row {row.row}
          </span>
        )}
        <span className="actions-spacer" />
        <button
          type="button"
          className="merge-step"
          aria-label="Previous message"
          title="Previous message"
          disabled={at === 0}
          onClick={() => setIndex(at - 1)}
        >
          <Chevron left />
        </button>
        <button
          type="button"
          className="merge-step"
          aria-label="Next message"
          title={
            at + 1 >= rows.length && rows.length < preview.sendableRows
              ? `The preview shows the first ${rows.length}`
              : 'Next message'
          }
          disabled={at + 1 >= rows.length}
          onClick={() => setIndex(at + 1)}
        >
          <Chevron />
        </button>
      </div>
      {!row ? (
        <p className="merge-muted merge-preview-empty">
          No row of the list can be sent, so there is nothing to preview.
        </p>
      ) : (
        <article className="merge-message" aria-label={`Message to ${row.to}`}>
          <dl className="merge-headers">
            <dt>From</dt>
            <dd>{preview.from}</dd>
            <dt>To</dt>
            <dd data-testid="merge-preview-to">{row.toName ? `${row.toName} <${row.to}>` : row.to}</dd>
            <dt>Subject</dt>
            <dd data-testid="merge-preview-subject" className="merge-subject">
              {row.subject || '(no subject)'}
            </dd>
          </dl>
          {row.html ? (
            <MessageFrame html={row.html} title={`Text of the message to ${row.to}`} />
          ) : (
            <pre className="merge-text" data-testid="merge-preview-text">
              {row.text}
            </pre>
          )}
        </article>
      )}
    </section>
  );
}

function Chevron({ left }: { left?: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d={left ? 'M10 3L5 8l5 5' : 'M6 3l5 5-5 5'}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
