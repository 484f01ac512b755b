import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { MergeCsv, MergePreview, MergeReceipt } from '../../../shared/domain/mail-merge';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { lastPreview, useMergePreview } from './use-merge-preview';
import { MergeMessagePreview } from './merge-message-preview';
import { MergeLeftOut } from './merge-left-out';
import { describePreviewPace } from './merge-pace-text';
import { LimitsSourceLink } from './limits-source-link';
import './merge.css';

const DELIMITER_WORDS: Record<MergePreview['delimiter'], string> = {
  ',': 'separated by commas',
  ';': 'separated by semicolons',
  '\t': 'separated by tabs',
};

interface Props {
  /** The saved compose draft: its subject and body are the template, its attachments go with every message. */
  draftId: string;
  /** Addresses in the message's own To, which a merge does not use (each row is its own To). */
  ignoredTo?: number;
  onClose: () => void;
  /** The job is queued (the draft is consumed). */
  onStarted: (receipt: MergeReceipt) => void;
}

/**
 * "Send to a list…": the user picks a CSV file, sees which columns give the address and the name
 * (and changes them), the placeholders the message uses, the first messages exactly as they will be
 * sent, every row left out with its row number and why, and the pace the account's limits set. Then
 * one button queues the job. A modal <dialog>: the browser keeps the focus inside and Escape closes it.
 */
export function MergeDialog({ draftId, ignoredTo = 0, onClose, onStarted }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [csv, setCsv] = useState<MergeCsv | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [recipientField, setRecipientField] = useState<string | undefined>(undefined);
  const [nameField, setNameField] = useState<string | undefined>(undefined);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<MailroomError | null>(null);
  const state = useMergePreview(draftId, { csv, recipientField, nameField });
  const preview = lastPreview(state);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal() focuses the first control (Close); the file picker is where the work starts.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);

  async function choose(file: File | undefined) {
    if (!file) return;
    setReadError(null);
    setStartError(null);
    try {
      const text = await file.text();
      setRecipientField(undefined);
      setNameField(undefined);
      setCsv({ text, fileName: file.name });
    } catch (error) {
      setReadError(
        `“${file.name}” could not be read (${(error as Error).message}). Choose the file again, or save it anew from the program it was made in.`,
      );
    }
  }

  function onDrop(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    void choose(event.dataTransfer.files[0]);
  }

  async function start() {
    if (!csv || !preview || starting) return;
    setStarting(true);
    setStartError(null);
    const result = await mailroom().startMerge({
      draftId,
      csv,
      ...(recipientField !== undefined ? { recipientField } : {}),
      ...(nameField !== undefined ? { nameField } : {}),
    });
    setStarting(false);
    if (!result.ok) setStartError(result.error);
    else onStarted(result.value);
  }

  const error = state.kind === 'failed' ? state.error : null;
  const loading = state.kind === 'loading';
  const sendable = state.kind === 'ready' ? state.preview.sendableRows : 0;

  return (
    <dialog
      ref={dialogRef}
      className="merge-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!starting) onClose();
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={onDrop}
    >
      <header className="merge-titlebar">
        <h2 id={titleId}>Send to a list</h2>
        {preview && <span className="merge-title-file">{csv?.fileName}</span>}
        <button
          type="button"
          className="merge-close"
          aria-label="Close"
          title="Close (Esc)"
          onClick={onClose}
          disabled={starting}
        >
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        </button>
      </header>

      {!csv ? (
        <div className="merge-body merge-start">
          <ListIcon />
          <h3>Choose the list to send to</h3>
          <p>
            A CSV file with a header row, such as a spreadsheet saved as CSV: one message goes to each row, to
            the address in its email column. Write <code>{'{{column name}}'}</code> in the subject or the text
            to put in each row’s own value.
          </p>
          <FilePicker onChoose={(f) => void choose(f)} label="Choose a CSV file…" primary autoFocus />
          <p className="merge-muted">or drop the file here</p>
          {readError && (
            <p className="form-problem" role="alert">
              {readError}
            </p>
          )}
        </div>
      ) : (
        <div className="merge-body merge-columns">
          <div className="merge-setup">
            <section className="merge-section" aria-labelledby={`${titleId}-list`}>
              <h3 id={`${titleId}-list`}>Recipients</h3>
              <div className="merge-file-row">
                <FileIcon />
                <div className="merge-file-facts">
                  <strong className="merge-file-name">{csv.fileName}</strong>
                  <span className="merge-muted">
                    {preview
                      ? `${preview.totalRows} row${preview.totalRows === 1 ? '' : 's'}, ${DELIMITER_WORDS[preview.delimiter]}`
                      : loading
                        ? 'Reading…'
                        : ''}
                  </span>
                </div>
                <FilePicker onChoose={(f) => void choose(f)} label="Other list…" />
              </div>
              {readError && (
                <p className="form-problem" role="alert">
                  {readError}
                </p>
              )}
              {ignoredTo > 0 && (
                <p className="merge-muted">
                  The message’s own To ({ignoredTo} address{ignoredTo === 1 ? '' : 'es'}) is not used: each
                  row is sent to its own address.
                </p>
              )}
              {preview && (
                <ColumnChoice
                  preview={preview}
                  onRecipient={setRecipientField}
                  onName={(field) => setNameField(field)}
                />
              )}
            </section>

            {error && <ErrorNotice error={error} title="This list cannot be sent yet" />}
            {error && !preview && <AddressColumnRescue error={error} onRecipient={setRecipientField} />}

            {preview && (
              <>
                <Placeholders preview={preview} />
                <div className="merge-section">
                  <MergeLeftOut skipped={preview.skipped} />
                </div>
                <section className="merge-section" aria-labelledby={`${titleId}-pace`}>
                  <h3 id={`${titleId}-pace`}>Pace</h3>
                  <p className="merge-pace">{describePreviewPace(preview.pacing, preview.sendableRows)}</p>
                  {preview.pacing.limits.sourceUrl && (
                    <p className="merge-muted">
                      <LimitsSourceLink limits={preview.pacing.limits} />
                    </p>
                  )}
                  <p className="merge-muted">Each account’s limits can be set in Accounts.</p>
                </section>
                <section className="merge-section" aria-labelledby={`${titleId}-files`}>
                  <h3 id={`${titleId}-files`}>Attached to each message</h3>
                  {preview.attachmentNames.length ? (
                    <ul className="merge-attachments">
                      {preview.attachmentNames.map((name) => (
                        <li key={name}>
                          <FileIcon small /> {name}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="merge-muted">None: the messages go without attachments.</p>
                  )}
                </section>
              </>
            )}
          </div>
          <div className="merge-preview-column">
            {preview ? (
              <MergeMessagePreview preview={preview} />
            ) : (
              <p className="merge-muted merge-preview-empty" role="status">
                {loading ? 'Preparing the preview…' : 'No preview: see what stops this list on the left.'}
              </p>
            )}
          </div>
        </div>
      )}

      <footer className="merge-footer">
        <div className="merge-footer-status" aria-live="polite">
          {startError && <ErrorNotice error={startError} title="The list was not queued" />}
          {!startError && state.kind === 'ready' && (
            <span>
              {sendable} of {state.preview.totalRows} rows will be sent
              {state.preview.skipped.length > 0 && `, ${state.preview.skipped.length} left out`}.
            </span>
          )}
          {starting && <span role="status">Queuing the messages…</span>}
        </div>
        <button type="button" onClick={onClose} disabled={starting}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={state.kind !== 'ready' || sendable === 0 || starting}
          onClick={() => void start()}
        >
          {starting
            ? 'Queuing…'
            : state.kind === 'ready' && sendable > 0
              ? `Send ${sendable} message${sendable === 1 ? '' : 's'}`
              : 'Send'}
        </button>
      </footer>
    </dialog>
  );
}

function FilePicker({
  onChoose,
  label,
  primary,
  autoFocus,
}: {
  onChoose: (file: File | undefined) => void;
  label: string;
  primary?: boolean;
  autoFocus?: boolean;
}) {
  const id = useId();
  return (
    <span className="merge-file-picker">
      <input
        id={id}
        type="file"
        data-autofocus={autoFocus ? '' : undefined}
        className="visually-hidden"
        accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
        onChange={(e) => {
          onChoose(e.target.files?.[0]);
          // The same file chosen again (after editing it) is read again.
          e.target.value = '';
        }}
      />
      <label htmlFor={id} className={`button-like${primary ? ' primary' : ''}`}>
        {label}
      </label>
    </span>
  );
}

function ColumnChoice({
  preview,
  onRecipient,
  onName,
}: {
  preview: MergePreview;
  onRecipient: (field: string) => void;
  onName: (field: string) => void;
}) {
  const addressId = useId();
  const nameId = useId();
  const addressRef = useRef<HTMLSelectElement>(null);
  // The file picker that had the focus is gone once the list is read: the next choice takes it.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body || active.tagName === 'DIALOG') addressRef.current?.focus();
  }, []);
  return (
    <div className="merge-column-choice">
      <label htmlFor={addressId}>Address column</label>
      <select
        ref={addressRef}
        id={addressId}
        value={preview.recipientField}
        onChange={(e) => onRecipient(e.target.value)}
      >
        {preview.fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
      <label htmlFor={nameId}>Name column</label>
      <select id={nameId} value={preview.nameField ?? ''} onChange={(e) => onName(e.target.value)}>
        <option value="">None (address only)</option>
        {preview.fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * No column is named like an address column and there is no earlier preview to choose from: when
 * the core names the list's columns with its refusal (details.fields), the user picks one here.
 */
function AddressColumnRescue({
  error,
  onRecipient,
}: {
  error: MailroomError;
  onRecipient: (field: string) => void;
}) {
  const id = useId();
  const fields = error.details?.['fields'];
  if (error.code !== 'MERGE_NO_RECIPIENT_COLUMN' || !Array.isArray(fields)) return null;
  return (
    <div className="merge-column-choice">
      <label htmlFor={id}>Address column</label>
      <select id={id} defaultValue="" onChange={(e) => e.target.value && onRecipient(e.target.value)}>
        <option value="" disabled>
          Choose the column…
        </option>
        {fields
          .filter((f): f is string => typeof f === 'string')
          .map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
      </select>
    </div>
  );
}

function Placeholders({ preview }: { preview: MergePreview }) {
  const headingId = useId();
  const known = new Set(preview.fields);
  const unused = preview.fields.filter(
    (f) => !preview.placeholders.includes(f) && f !== preview.recipientField,
  );
  return (
    <section className="merge-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Placeholders</h3>
      {preview.placeholders.length === 0 ? (
        <p className="merge-muted">
          The message uses none: every row gets the same text. Write <code>{'{{column name}}'}</code> in the
          subject or the text for a row’s own value.
        </p>
      ) : (
        <ul className="merge-tokens" aria-label="Placeholders the message uses">
          {preview.placeholders.map((p) => (
            <li key={p} className={known.has(p) ? 'merge-token' : 'merge-token merge-token-missing'}>
              <code>{`{{${p}}}`}</code>
              {!known.has(p) && <span> not in the list</span>}
            </li>
          ))}
        </ul>
      )}
      {unused.length > 0 && (
        <p className="merge-muted">Also in the list: {unused.map((f) => `{{${f}}}`).join(', ')}</p>
      )}
    </section>
  );
}

function ListIcon() {
  return (
    <svg className="merge-hero-icon" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
      <rect x="7" y="6" width="34" height="36" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M7 16h34M7 26h34M7 34h34M19 6v36" stroke="currentColor" strokeWidth="2" fill="none" />
    </svg>
  );
}

function FileIcon({ small }: { small?: boolean }) {
  const size = small ? 14 : 28;
  return (
    <svg
      className="merge-file-icon"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M6 2.5h8l4.5 4.5v14.5H6z M14 2.5V7h4.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    </svg>
  );
}
