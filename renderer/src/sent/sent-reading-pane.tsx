import { useId, useState, type ReactNode } from 'react';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { Mailbox, SentMessage } from '../../../shared/domain/sent-message';
import { formatBytes } from '../../../shared/domain/byte-size';
import { describeEntry } from '../../../shared/domain/outbox-states';
import type { MailroomError, Result } from '../../../shared/result';
import { ErrorNotice } from '../common/error-notice';
import { ConfirmDialog } from '../accounts/confirm-dialog';
import { mailroom } from '../mailroom-api';
import { editInCompose } from '../outbox/edit-in-compose';
import { formatTime } from '../outbox/format';
import { MessageFrame } from './message-frame';
import { mailboxText } from './mailbox-text';
import { useSentMessage } from './use-sent-message';

/** A sent message's state does not depend on the clock (only held messages do). */
const AFTER_THE_FACT = 0;

interface Props {
  entry: OutboxEntry;
  /** The entry is gone (deleted here): the view selects another. */
  onDeleted: (id: string) => void;
}

/** One sent message as it went out, with what can be done with it in the toolbar above. */
export function SentReadingPane({ entry, onDeleted }: Props) {
  const headingId = useId();
  const read = useSentMessage(entry.id);
  const [error, setError] = useState<MailroomError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const subject = entry.subject || '(no subject)';

  async function act<T>(run: () => Promise<Result<T>>, done?: (value: T) => string | null) {
    setError(null);
    setNotice(null);
    setBusy(true);
    const result = await run();
    setBusy(false);
    if (!result.ok) setError(result.error);
    else if (done) setNotice(done(result.value));
    return result.ok;
  }

  const refused = (entry.recipients ?? []).filter((r) => !r.accepted);

  return (
    <article className="reading-pane" aria-labelledby={headingId}>
      <div className="pane-toolbar" role="group" aria-label="Message actions">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void act(
              () => editInCompose(entry.id),
              (reopened) =>
                reopened.missingAttachments.length
                  ? `Opened without ${reopened.missingAttachments.join(', ')}: no longer where it was attached.`
                  : null,
            )
          }
        >
          Edit as new
        </button>
        <button
          type="button"
          disabled={busy || !entry.hasMessageFile}
          onClick={() =>
            void act(
              () => mailroom().resendSentMessage({ id: entry.id }),
              () => 'Queued again as a new message: see the Outbox.',
            )
          }
        >
          Resend
        </button>
        <button
          type="button"
          disabled={busy || !entry.hasMessageFile}
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
        <button type="button" disabled={busy} onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      <div aria-live="polite">
        {notice && (
          <p role="status" className="pane-notice">
            {notice}
          </p>
        )}
      </div>

      <header className="message-header">
        <h2 id={headingId} className="message-subject">
          {subject}
        </h2>
        {read.status === 'loaded' ? (
          <MessageHeaders message={read.message} />
        ) : (
          <dl className="message-fields">
            <Field label="From">{entry.from}</Field>
            <Field label="To">{entry.to.join(', ')}</Field>
          </dl>
        )}
        <p className="message-delivery" data-testid="sent-delivery">
          <span className="message-state">{describeEntry(entry, AFTER_THE_FACT, formatTime)}</span>
          {entry.response && (
            <>
              {' · '}The server replied: <code className="server-reply">{entry.response}</code>
            </>
          )}
        </p>
        {refused.length > 0 && (
          <div className="notice notice-error" role="note">
            <strong>Not delivered to</strong>
            <ul className="refused-list">
              {refused.map((r) => (
                <li key={r.address}>
                  {r.address}
                  {r.reply && (
                    <>
                      : <code>{r.reply}</code>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </header>

      {read.status === 'loading' && (
        <p role="status" className="pane-placeholder">
          Loading the message…
        </p>
      )}
      {read.status === 'failed' && <ErrorNotice error={read.error} title="The message cannot be shown" />}
      {read.status === 'loaded' && <MessageBody message={read.message} subject={subject} />}

      {confirmDelete && (
        <ConfirmDialog
          title="Delete this sent message?"
          message={`“${subject}” and its stored copy are removed from Sent. Recipients keep what they received.`}
          confirmLabel="Delete"
          busyLabel="Deleting…"
          busy={busy}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            void act(() => mailroom().removeOutboxEntry({ id: entry.id })).then((removed) => {
              setConfirmDelete(false);
              if (removed) onDeleted(entry.id);
            })
          }
        />
      )}
    </article>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="message-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const list = (mailboxes: Mailbox[]) => mailboxes.map(mailboxText).join(', ');

function MessageHeaders({ message }: { message: SentMessage }) {
  return (
    <dl className="message-fields">
      <Field label="From">{list(message.from)}</Field>
      {message.replyTo.length > 0 && <Field label="Reply-To">{list(message.replyTo)}</Field>}
      <Field label="To">{list(message.to)}</Field>
      {message.cc.length > 0 && <Field label="Cc">{list(message.cc)}</Field>}
      {message.bcc.length > 0 && <Field label="Bcc">{list(message.bcc)}</Field>}
      {message.date && (
        <Field label="Date">
          <time dateTime={message.date}>{formatTime(message.date)}</time>
        </Field>
      )}
      <Field label="Message-ID">
        <code className="message-id">{message.messageId}</code>
      </Field>
    </dl>
  );
}

function MessageBody({ message, subject }: { message: SentMessage; subject: string }) {
  const files = message.attachments;
  return (
    <>
      {message.truncated && (
        <p className="notice">Shown in part: the message is long. Save it as .eml to see all of it.</p>
      )}
      <div className="message-body">
        {message.html !== undefined ? (
          <MessageFrame html={message.html} title={`Message: ${subject}`} />
        ) : (
          <pre className="message-text" tabIndex={0} aria-label={`Message: ${subject}`}>
            {message.text ?? ''}
          </pre>
        )}
      </div>
      {message.attachmentCount > 0 && (
        <section className="message-attachments" aria-label="Attachments">
          <h3>
            {message.attachmentCount} attachment{message.attachmentCount === 1 ? '' : 's'}
          </h3>
          <ul>
            {files.map((file, index) => (
              <li key={`${index}-${file.filename}`} className="attachment-row">
                <span className="attachment-name">{file.filename || '(unnamed)'}</span>
                <span className="attachment-type">{file.contentType}</span>
                <span className="attachment-size">{formatBytes(file.size)}</span>
                {file.inline && <span className="attachment-inline">shown in the message</span>}
              </li>
            ))}
          </ul>
          {files.length < message.attachmentCount && (
            <p>and {message.attachmentCount - files.length} more (Save as .eml to see them all)</p>
          )}
        </section>
      )}
    </>
  );
}
