import { useState } from 'react';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { formatBytes } from '../../../shared/domain/byte-size';
import { describeEntry, phaseOf } from '../../../shared/domain/outbox-states';
import { ErrorNotice } from '../common/error-notice';
import { formatTime } from '../outbox/format';
import { useOutbox } from '../outbox/use-outbox';
import { recipientNames } from './mailbox-text';
import { SentReadingPane } from './sent-reading-pane';
import './sent.css';

/** A sent message's state does not depend on the clock (only held messages do). */
const AFTER_THE_FACT = 0;

/** Sent mail: the history on the left, newest first, and the selected message as it went out beside it. */
export function SentView() {
  const { entries, error } = useOutbox('sent');
  const [chosen, setChosen] = useState<string | null>(null);
  // The newest message is shown until the user picks one (or when the picked one is deleted).
  const selected = entries?.find((e) => e.id === chosen) ?? entries?.[0];

  return (
    <section className="sent-place" aria-labelledby="sent-heading">
      <div className="sent-list-column">
        <h2 id="sent-heading" className="place-heading">
          Sent
        </h2>
        {error && <ErrorNotice error={error} title="The sent history could not be read" />}
        {entries === null && !error && (
          <p role="status" aria-live="polite">
            Loading…
          </p>
        )}
        {entries?.length === 0 && <p className="empty-place">No sent messages yet.</p>}
        {entries && entries.length > 0 && (
          <ul className="sent-list" aria-label="Sent messages">
            {entries.map((entry) => (
              <SentRow
                key={entry.id}
                entry={entry}
                selected={entry.id === selected?.id}
                onSelect={() => setChosen(entry.id)}
              />
            ))}
          </ul>
        )}
      </div>
      {selected ? (
        <SentReadingPane key={selected.id} entry={selected} onDeleted={() => setChosen(null)} />
      ) : (
        entries && entries.length > 0 && <p className="pane-placeholder">Choose a message to read it.</p>
      )}
    </section>
  );
}

function SentRow({
  entry,
  selected,
  onSelect,
}: {
  entry: OutboxEntry;
  selected: boolean;
  onSelect: () => void;
}) {
  const refused = phaseOf(entry, AFTER_THE_FACT) === 'partly-sent';
  const files = entry.attachmentCount ?? 0;
  return (
    <li>
      <button
        type="button"
        className="sent-row"
        aria-current={selected ? 'true' : undefined}
        data-state={refused ? 'partly-sent' : 'sent'}
        onClick={onSelect}
      >
        <span className="sent-row-top">
          <span className="sent-row-recipients">
            To {recipientNames([...entry.to, ...entry.cc, ...entry.bcc], entry.displayNames)}
          </span>
          <span className="sent-row-date">{formatTime(entry.sentAt)}</span>
        </span>
        <span className="sent-row-subject">{entry.subject || '(no subject)'}</span>
        <span className="sent-row-meta">
          {files > 0 && (
            <span
              className="attachment-marker"
              role="img"
              aria-label={`${files} attachment${files === 1 ? '' : 's'}`}
            >
              <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
                <path
                  d="M10.5 4.5 5.6 9.4a1.2 1.2 0 0 0 1.7 1.7l5-5a2.6 2.6 0 0 0-3.7-3.7l-5 5a4 4 0 0 0 5.7 5.7L13 9"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.4"
                  strokeLinecap="round"
                />
              </svg>
              {files}
            </span>
          )}
          <span>{formatBytes(entry.size)}</span>
          <span className={refused ? 'sent-row-state refused' : 'sent-row-state'}>
            {/* The date has its own column: the state alone, worded where every host words it. */}
            {describeEntry({ ...entry, sentAt: undefined }, AFTER_THE_FACT, formatTime)}
          </span>
        </span>
      </button>
    </li>
  );
}
