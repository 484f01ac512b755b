import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import type { BodyMode, Draft, DraftContentInput, Recipient } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { checkRecipients, mergeRecipients, parseRecipients } from './address-list';
import { AttachmentList } from './attachment-list';
import { htmlToPlainText, plainTextToHtml } from '../../../shared/domain/outgoing-message';
import { bodyWithSignature, fromChoices, isStandaloneComposeWindow } from './new-message';
import { leaveCompose, showCompose } from './compose-route';
import { useAutosave } from './use-autosave';
import { ComposeDone } from './compose-done';
import { RecipientsBlock, type RecipientKind } from './recipients-block';
import { SaveStatus } from './save-status';
import { SendBar } from './send-bar';
import { attachmentSizeWarning, sendBlocker } from './send-checks';
import { useComposeDraft } from './use-compose-draft';
import { useDraftAttachments } from './use-draft-attachments';
import { useServerLimits } from './use-server-limits';
import { MessageBodyField } from './message-body-field';
import { useSendOutcome } from './use-send-outcome';
import { FromField, SubjectField } from './header-fields';
import './compose.css';

interface Props {
  draftId: string;
  accounts: AccountSummary[];
  defaultAccountId: string | null;
}

/** A compose window: loads its draft from the core, then edits it. */
export function ComposeView({ draftId, accounts, defaultAccountId }: Props) {
  const loaded = useComposeDraft(draftId);

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

type Field = RecipientKind;

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
  const { attachments, attaching, attachError, attach, removeAttachment, onDrop } = useDraftAttachments(
    draft.id,
    draft.attachments,
  );
  const { outcome, setOutcome, requestRef } = useSendOutcome();
  const [finished, setFinished] = useState(false);
  const [discardError, setDiscardError] = useState<MailroomError | null>(null);
  const headingId = useId();
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

  const limits = useServerLimits(from?.accountId);

  // Validation: what blocks sending (shown next to the disabled Send button) and what only warns.
  const everyone = [...all.to, ...all.cc, ...all.bcc];
  const { problems, warnings } = checkRecipients(everyone, limits.smtpUtf8);
  const problemMap = new Map(problems.map((p) => [p.recipient.address, p.reason]));
  const blocker = sendBlocker(!!from, all.to, problems, attachments);
  const sizeWarning = attachmentSizeWarning(attachments, limits.sizeLimitBytes);

  const busy = outcome.kind === 'submitting';

  useEffect(() => {
    document.title = subject.trim() ? `${subject} – Mailroom` : 'New message – Mailroom';
  }, [subject]);

  async function send() {
    if (blocker || !from || busy || finished) return;
    setRecipients(all);
    setPending({ to: '', cc: '', bcc: '' });
    // The core sends what is saved: save first, then one call (it builds, queues, drops the draft).
    const saved = await autosave.save();
    if (!saved) return;
    const requestId = crypto.randomUUID();
    requestRef.current = requestId;
    setOutcome({ kind: 'submitting' });
    const result = await mailroom().sendDraft({ draftId: draft.id, requestId });
    if (!result.ok) {
      setOutcome({ kind: 'failed', error: result.error });
      return;
    }
    // Handed over: the draft is gone, the outbox keeps the message from here.
    autosave.forget();
    setFinished(true);
    const { outboxId } = result.value;
    // Events may have overtaken the reply; the reply only fills in what they have not said yet.
    setOutcome((o) => (o.kind !== 'submitting' ? o : { kind: 'queued', undoable: false, outboxId }));
  }

  async function retryQueued(outboxId: string) {
    const result = await mailroom().retryOutboxEntry({ id: outboxId });
    if (!result.ok) setOutcome({ kind: 'failed', error: result.error, outboxId });
  }

  /** Takes the message back: the core cancels it and makes it a draft again, as typed. */
  async function undo(outboxId: string) {
    const reopened = await mailroom().reopenOutboxEntry({ id: outboxId });
    if (!reopened.ok) {
      setOutcome({ kind: 'failed', error: reopened.error, outboxId });
      return;
    }
    setOutcome({ kind: 'cancelled' });
    showCompose(reopened.value.draftId);
  }

  async function discard() {
    autosave.forget();
    setFinished(true);
    const discarded = await mailroom().discardDraft({ id: draft.id });
    if (!discarded.ok) {
      // Still there: keep the form (and autosave) and say why, rather than close over a leftover draft.
      setFinished(false);
      setDiscardError(discarded.error);
      return;
    }
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
      <ComposeDone
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
      <FromField choices={choices} value={from?.key ?? ''} onChange={changeFrom} />
      <RecipientsBlock
        recipients={recipients}
        pending={pending}
        problems={problemMap}
        showCopies={showCopies}
        onShowCopies={() => setShowCopies(true)}
        // A new message starts with its recipient; a draft being finished keeps the focus where it is.
        autoFocusTo={draft.to.length === 0}
        onChange={(field, list, rest) => {
          setRecipients((r) => ({ ...r, [field]: list }));
          setPending((p) => ({ ...p, [field]: rest }));
        }}
      />
      <SubjectField value={subject} onChange={setSubject} />
      <MessageBodyField
        mode={mode}
        html={html}
        text={text}
        editorKey={editorKey}
        onHtmlChange={setHtml}
        onTextChange={setText}
        onPlainChange={changeMode}
      />
      <AttachmentList
        attachments={attachments}
        busy={attaching}
        onAttach={() => void attach()}
        onRemove={(a) => void removeAttachment(a)}
        sizeWarning={sizeWarning}
      />
      {attachError && <ErrorNotice error={attachError} title="Not attached" />}
      {discardError && <ErrorNotice error={discardError} title="The draft was not discarded" />}
      {warnings.length > 0 && (
        <ul className="notice notice-warning compose-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <SendBar
        blocker={blocker}
        showBlocker={everyone.length > 0 || outcome.kind !== 'idle' || subject !== ''}
        busy={busy}
        outcome={outcome}
        onSend={() => void send()}
        onDiscard={() => void discard()}
      />
    </form>
  );
}
