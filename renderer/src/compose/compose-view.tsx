import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import type {
  BodyMode,
  Draft,
  DraftAttachment,
  DraftContentInput,
  Recipient,
  ServerLimits,
} from '../../../shared/domain/drafts';
import {
  asciiDomain,
  DEFAULT_SIZE_WARNING_BYTES,
  encodedSize,
  formatBytes,
} from '../../../shared/domain/compose';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { checkRecipients, mergeRecipients, parseRecipients } from './address-list';
import { RecipientField } from './recipient-field';
import { RichTextEditor } from './rich-text-editor';
import { AttachmentList } from './attachment-list';
import { htmlToPlainText, messageHtml, plainTextToHtml } from './body-text';
import { bodyWithSignature, fromChoices, isStandaloneComposeWindow, startNewMessage } from './new-message';
import { leaveCompose, showCompose } from './compose-route';
import { nextOutcome, outcomeFromStatus, SendOutcomeNotice, type Outcome } from './send-outcome';
import { useAutosave, type SaveState } from './use-autosave';
import './compose.css';

interface Props {
  draftId: string;
  accounts: AccountSummary[];
  defaultAccountId: string | null;
}

/** A compose window: loads its draft from the core, then edits it. */
export function ComposeView({ draftId, accounts, defaultAccountId }: Props) {
  const [loaded, setLoaded] = useState<{ draft: Draft } | { error: MailroomError } | null>(null);
  useEffect(() => {
    let current = true;
    void mailroom()
      .getDraft({ id: draftId })
      .then((result) => {
        if (current) setLoaded(result.ok ? { draft: result.value } : { error: result.error });
      });
    return () => {
      current = false;
    };
  }, [draftId]);

  if (!loaded) {
    return (
      <p role="status" aria-live="polite">
        Opening the draft…
      </p>
    );
  }
  if ('error' in loaded) return <ErrorNotice error={loaded.error} title="This message cannot be opened" />;
  return <ComposeForm draft={loaded.draft} accounts={accounts} defaultAccountId={defaultAccountId} />;
}

type Field = 'to' | 'cc' | 'bcc';

const stripLineBreaks = (s: string) => s.replace(/[\r\n]+/g, ' ');

function ComposeForm({
  draft,
  accounts,
  defaultAccountId,
}: {
  draft: Draft;
  accounts: AccountSummary[];
  defaultAccountId: string | null;
}) {
  const choices = useMemo(() => fromChoices(accounts), [accounts]);
  const fallbackFrom = choices.find((c) => c.accountId === defaultAccountId)?.key ?? choices[0]?.key ?? '';
  const [pickedFrom, setPickedFrom] = useState(`${draft.accountId}/${draft.identityId}`);
  const from = choices.find((c) => c.key === pickedFrom) ?? choices.find((c) => c.key === fallbackFrom);

  const [recipients, setRecipients] = useState<Record<Field, Recipient[]>>({
    to: draft.to,
    cc: draft.cc,
    bcc: draft.bcc,
  });
  const [pending, setPending] = useState<Record<Field, string>>({ to: '', cc: '', bcc: '' });
  const [showCopies, setShowCopies] = useState(draft.cc.length > 0 || draft.bcc.length > 0);
  const [subject, setSubject] = useState(draft.subject);
  const [mode, setMode] = useState<BodyMode>(draft.mode);
  const [html, setHtml] = useState(draft.html);
  const [text, setText] = useState(draft.text);
  // Bumped to start the rich editor over with new content (mode switch, signature swap).
  const [editorKey, setEditorKey] = useState(0);
  const [attachments, setAttachments] = useState<DraftAttachment[]>(draft.attachments);
  const [attaching, setAttaching] = useState(false);
  const [attachError, setAttachError] = useState<MailroomError | null>(null);
  const [limits, setLimits] = useState<ServerLimits>({ sizeLimitBytes: null, smtpUtf8: null });
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [finished, setFinished] = useState(false);
  const headingId = useId();
  const bodyLabelId = useId();
  const standalone = isStandaloneComposeWindow();

  /** Everything typed, with text not yet turned into chips counted as recipients. */
  const all = useMemo(
    () => ({
      to: mergeRecipients(recipients.to, parseRecipients(pending.to)),
      cc: mergeRecipients(recipients.cc, parseRecipients(pending.cc)),
      bcc: mergeRecipients(recipients.bcc, parseRecipients(pending.bcc)),
    }),
    [recipients, pending],
  );

  const content = useCallback(
    (): DraftContentInput => ({
      accountId: from?.accountId ?? '',
      identityId: from?.identity.id ?? '',
      ...all,
      subject,
      mode,
      html: mode === 'rich' ? html : '',
      text: mode === 'plain' ? text : htmlToPlainText(html),
    }),
    [from, all, subject, mode, html, text],
  );
  const autosave = useAutosave(draft.id, content, !finished);
  const { markDirty } = autosave;

  // Any change to what the draft holds schedules a save (the first render is what was loaded).
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    markDirty();
  }, [from, all, subject, mode, html, text, markDirty]);

  const accountId = from?.accountId;
  useEffect(() => {
    if (!accountId) return;
    let current = true;
    void mailroom()
      .getServerLimits({ accountId })
      .then((result) => {
        if (current && result.ok) setLimits(result.value);
      });
    return () => {
      current = false;
    };
  }, [accountId]);

  // sendStatus events for our send (the outbox reports queued -> sending -> sent/failed).
  const requestRef = useRef<string | null>(null);
  useEffect(
    () =>
      mailroom().onSendStatus((status) => {
        if (status.requestId !== requestRef.current) return;
        const event = outcomeFromStatus(status);
        setOutcome((o) => nextOutcome(o, event));
      }),
    [],
  );

  // Validation: what blocks sending (shown next to the disabled Send button) and what only warns.
  const everyone = [...all.to, ...all.cc, ...all.bcc];
  const { problems, warnings } = checkRecipients(everyone, limits.smtpUtf8);
  const problemMap = new Map(problems.map((p) => [p.recipient.address, p.reason]));
  const missing = attachments.find((a) => !a.present);
  const blocker = !from
    ? 'Add an account to send from.'
    : all.to.length === 0
      ? 'Add at least one recipient in To.'
      : problems[0]
        ? problems[0].reason
        : missing
          ? `“${missing.name}” is no longer where it was attached. Remove it or attach it again.`
          : null;

  const totalBytes = attachments.reduce((sum, a) => sum + a.size, 0);
  const estimated = encodedSize(totalBytes);
  const sizeWarning =
    limits.sizeLimitBytes !== null && estimated > limits.sizeLimitBytes
      ? `The attachments come to ${formatBytes(totalBytes)}, about ${formatBytes(estimated)} once encoded for mail: more than the ${formatBytes(limits.sizeLimitBytes)} your server accepts. The server will refuse this message; share large files by link instead.`
      : totalBytes > DEFAULT_SIZE_WARNING_BYTES
        ? `The attachments come to ${formatBytes(totalBytes)}. Many mail servers refuse messages over 25 MB; the recipient’s may too. Consider sharing large files by link.`
        : null;

  const busy = outcome.kind === 'submitting';

  useEffect(() => {
    document.title = subject.trim() ? `${subject} – Mailroom` : 'New message – Mailroom';
  }, [subject]);

  async function send() {
    if (blocker || !from || busy || finished) return;
    setRecipients(all);
    setPending({ to: '', cc: '', bcc: '' });
    const saved = await autosave.save();
    if (!saved) return;
    const requestId = crypto.randomUUID();
    requestRef.current = requestId;
    setOutcome({ kind: 'submitting' });
    // IDN domains go out in their ASCII form, which every server accepts.
    const wire = (r: Recipient) => {
      const at = r.address.lastIndexOf('@');
      return `${r.address.slice(0, at)}@${asciiDomain(r.address.slice(at + 1)) ?? r.address.slice(at + 1)}`;
    };
    const displayNames: Record<string, string> = {};
    for (const r of [...all.to, ...all.cc]) if (r.name) displayNames[wire(r)] = r.name;
    const result = await mailroom().sendMessage({
      accountId: from.accountId,
      identityId: from.identity.id,
      to: all.to.map(wire),
      cc: all.cc.map(wire),
      bcc: all.bcc.map(wire),
      displayNames,
      subject: stripLineBreaks(subject),
      text: mode === 'plain' ? text : htmlToPlainText(html),
      ...(mode === 'rich' ? { html: messageHtml(html) } : {}),
      attachments: attachments.filter((a) => a.present).map((a) => ({ path: a.path, filename: a.name })),
      requestId,
      draftId: draft.id,
    });
    if (!result.ok) {
      setOutcome({ kind: 'failed', error: result.error });
      return;
    }
    const receipt = result.value;
    sentContent.current = {
      content: content(),
      paths: attachments.filter((a) => a.present).map((a) => a.path),
    };
    // Handed over: the draft's job is done (the outbox, if any, keeps the message from here).
    autosave.forget();
    setFinished(true);
    void mailroom().completeDraft({ id: draft.id, recipients: everyone });
    // Events may have overtaken the reply; the reply only fills in what they have not said yet.
    setOutcome((o) =>
      o.kind !== 'submitting'
        ? o
        : receipt.state === 'sent' || receipt.response
          ? { kind: 'sent', response: receipt.response, rejected: receipt.rejected }
          : { kind: 'queued', undoable: false, ...(receipt.outboxId ? { outboxId: receipt.outboxId } : {}) },
    );
  }

  // What was handed over, so Undo can bring it back as a draft.
  const sentContent = useRef<{ content: DraftContentInput; paths: string[] } | null>(null);

  async function retryQueued(outboxId: string) {
    const result = await mailroom().retryOutboxEntry({ id: outboxId });
    if (!result.ok) setOutcome({ kind: 'failed', error: result.error, outboxId });
  }

  async function undo(outboxId: string) {
    const cancelled = await mailroom().cancelOutboxEntry({ id: outboxId });
    if (!cancelled.ok) {
      setOutcome({ kind: 'failed', error: cancelled.error });
      return;
    }
    setOutcome({ kind: 'cancelled' });
    // Back to editing: the same message as a draft again, attachments included.
    const saved = sentContent.current;
    if (!saved) return;
    const again = await mailroom().createDraft(saved.content);
    if (!again.ok) return;
    if (saved.paths.length)
      await mailroom().addDraftAttachments({ draftId: again.value.id, paths: saved.paths });
    await mailroom().saveDraft({ id: again.value.id, content: saved.content });
    showCompose(again.value.id);
  }

  async function attach(paths?: string[]) {
    setAttaching(true);
    setAttachError(null);
    const result = paths
      ? await mailroom().addDraftAttachments({ draftId: draft.id, paths })
      : await mailroom().pickAttachments({ draftId: draft.id });
    setAttaching(false);
    if (result.ok) setAttachments(result.value.attachments);
    else setAttachError(result.error);
  }

  async function removeAttachment(attachment: DraftAttachment) {
    const result = await mailroom().removeDraftAttachment({ draftId: draft.id, attachmentId: attachment.id });
    if (result.ok) setAttachments(result.value.attachments);
    else setAttachError(result.error);
  }

  function onDrop(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    const resolve = window.mailroom.pathForDroppedFile;
    const files = Array.from(event.dataTransfer.files);
    // Electron's preload turns a dropped File into its path; a plain browser cannot, so there a drop
    // opens the host's picker instead. Either way only paths reach the core, never file contents.
    const paths = resolve ? files.map((f) => resolve(f)).filter((p) => p !== '') : [];
    void attach(paths.length ? paths : undefined);
  }

  async function discard() {
    autosave.forget();
    setFinished(true);
    await mailroom().discardDraft({ id: draft.id });
    close();
  }

  function close() {
    if (standalone) window.close();
    else leaveCompose();
  }

  function changeFrom(key: string) {
    const next = choices.find((c) => c.key === key);
    // An untouched body follows the sender: its signature replaces the previous one.
    if (from && next) {
      const before = bodyWithSignature(from.identity, mode);
      const untouched = mode === 'rich' ? html === before.html : text === before.text;
      if (untouched) {
        const after = bodyWithSignature(next.identity, mode);
        setHtml(after.html);
        setText(after.text);
        setEditorKey((k) => k + 1);
      }
    }
    setPickedFrom(key);
  }

  function changeMode(plain: boolean) {
    if (plain && mode === 'rich') {
      setText(htmlToPlainText(html));
      setMode('plain');
    } else if (!plain && mode === 'plain') {
      setHtml(plainTextToHtml(text));
      setEditorKey((k) => k + 1);
      setMode('rich');
    }
  }

  useEffect(
    () =>
      mailroom().onMenuCommand(({ command }) => {
        if (command === 'send') void sendRef.current();
      }),
    [],
  );
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  if (finished && outcome.kind !== 'idle' && outcome.kind !== 'submitting') {
    return (
      <SendOutcome
        outcome={outcome}
        onRetry={(o) => (o.outboxId ? () => void retryQueued(o.outboxId!) : null)}
        onUndo={(o) => ('outboxId' in o && o.outboxId ? () => void undo(o.outboxId!) : null)}
        standalone={standalone}
        accounts={accounts}
        defaultAccountId={defaultAccountId}
        onClose={close}
      />
    );
  }
  if (finished && outcome.kind === 'idle') {
    return (
      <p role="status" aria-live="polite">
        Draft discarded.
      </p>
    );
  }

  return (
    <form
      className="compose"
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      onKeyDown={onKeyDown}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={onDrop}
    >
      <div className="compose-header">
        <h2 id={headingId}>New message</h2>
        <SaveStatus state={autosave.state} />
      </div>
      <div className="field">
        <label htmlFor="compose-from">From</label>
        <select id="compose-from" value={from?.key ?? ''} onChange={(e) => changeFrom(e.target.value)}>
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <RecipientField
        label="To"
        // A new message starts with its recipient; a draft being finished keeps the focus where it is.
        autoFocus={draft.to.length === 0}
        recipients={recipients.to}
        pending={pending.to}
        problems={problemMap}
        onChange={(list, rest) => {
          setRecipients((r) => ({ ...r, to: list }));
          setPending((p) => ({ ...p, to: rest }));
        }}
      />
      {showCopies ? (
        (['cc', 'bcc'] as const).map((field) => (
          <RecipientField
            key={field}
            label={field === 'cc' ? 'Cc' : 'Bcc'}
            recipients={recipients[field]}
            pending={pending[field]}
            problems={problemMap}
            onChange={(list, rest) => {
              setRecipients((r) => ({ ...r, [field]: list }));
              setPending((p) => ({ ...p, [field]: rest }));
            }}
          />
        ))
      ) : (
        <div className="field">
          <span />
          <button type="button" className="link-button" onClick={() => setShowCopies(true)}>
            Add Cc and Bcc
          </button>
        </div>
      )}
      <div className="field">
        <label htmlFor="compose-subject">Subject</label>
        <input
          id="compose-subject"
          value={subject}
          maxLength={900}
          onChange={(e) => setSubject(stripLineBreaks(e.target.value))}
          onKeyDown={(e) => {
            // Enter in Subject moves on to the message instead of sending it.
            if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.preventDefault();
          }}
        />
      </div>
      <div className="body-field">
        <div className="body-header">
          <span id={bodyLabelId} className="body-label">
            Message
          </span>
          <label className="plain-toggle">
            <input
              type="checkbox"
              checked={mode === 'plain'}
              onChange={(e) => changeMode(e.target.checked)}
            />{' '}
            Plain text
          </label>
        </div>
        {mode === 'rich' ? (
          <RichTextEditor key={editorKey} initialHtml={html} onChange={setHtml} labelId={bodyLabelId} />
        ) : (
          <textarea
            id="compose-body"
            aria-labelledby={bodyLabelId}
            className="plain-body"
            rows={14}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </div>
      <AttachmentList
        attachments={attachments}
        busy={attaching}
        onAttach={() => void attach()}
        onRemove={(a) => void removeAttachment(a)}
        sizeWarning={sizeWarning}
      />
      {attachError && <ErrorNotice error={attachError} title="Not attached" />}
      {warnings.length > 0 && (
        <ul className="notice notice-warning compose-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {confirmDiscard ? (
          <span className="discard-confirm" role="group" aria-label="Discard this draft?">
            Discard this draft? It cannot be brought back.{' '}
            <button type="button" className="danger" onClick={() => void discard()}>
              Discard draft
            </button>{' '}
            <button type="button" onClick={() => setConfirmDiscard(false)}>
              Keep editing
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirmDiscard(true)} disabled={busy}>
            Discard…
          </button>
        )}
        <span className="actions-spacer" />
        {blocker && (everyone.length > 0 || outcome.kind !== 'idle' || subject !== '') && (
          <span className="form-problem" id="send-blocker">
            {blocker}
          </span>
        )}
        <button
          type="submit"
          className="primary"
          disabled={!!blocker || busy}
          aria-describedby={blocker ? 'send-blocker' : undefined}
          title={blocker ?? 'Send (Ctrl+Enter)'}
        >
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      <div aria-live="polite">
        {busy && <p role="status">Sending…</p>}
        {outcome.kind === 'failed' && (
          <div className="send-failed">
            <ErrorNotice error={outcome.error} title="Not sent" />
            <button type="button" onClick={() => void send()} disabled={!!blocker}>
              Retry
            </button>
          </div>
        )}
      </div>
    </form>
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saving'
      ? 'Saving draft…'
      : state.kind === 'unsaved'
        ? 'Unsaved changes'
        : state.kind === 'failed'
          ? `Draft not saved: ${state.error.message}`
          : state.at
            ? 'Draft saved'
            : '';
  return (
    <span className={state.kind === 'failed' ? 'save-status form-problem' : 'save-status'} role="status">
      {text}
    </span>
  );
}

function SendOutcome({
  outcome,
  onRetry,
  onUndo,
  standalone,
  accounts,
  defaultAccountId,
  onClose,
}: {
  outcome: Exclude<Outcome, { kind: 'idle' } | { kind: 'submitting' }>;
  onRetry: (o: Extract<Outcome, { kind: 'failed' }>) => (() => void) | null;
  onUndo: (o: Outcome) => (() => void) | null;
  standalone: boolean;
  accounts: AccountSummary[];
  defaultAccountId: string | null;
  onClose: () => void;
}) {
  return (
    <section className="compose compose-done" aria-live="polite">
      <h2>New message</h2>
      <SendOutcomeNotice
        outcome={outcome}
        onRetry={outcome.kind === 'failed' ? onRetry(outcome) : null}
        onUndo={onUndo(outcome)}
      />
      <div className="actions">
        <button type="button" onClick={() => void startNewMessage(accounts, defaultAccountId)}>
          Write another message
        </button>
        {standalone && (
          <button type="button" onClick={onClose}>
            Close window
          </button>
        )}
      </div>
    </section>
  );
}
