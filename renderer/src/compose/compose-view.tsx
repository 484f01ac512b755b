import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { MergeReceipt } from '../../../shared/domain/mail-merge';
import type { AccountSummary } from '../../../shared/domain/account';
import type { BodyMode, Draft, DraftContentInput, Recipient } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { checkRecipients, mergeRecipients, parseRecipients } from './address-list';
import { AttachmentList } from './attachment-list';
import { htmlToPlainText, plainTextToHtml } from '../../../shared/domain/outgoing-message';
import { fromChoices, isStandaloneComposeWindow, swapSignature } from './new-message';
import { leaveCompose, showCompose } from './compose-route';
import { useAutosave } from './use-autosave';
import { ComposeDone } from './compose-done';
import { RecipientsBlock, type RecipientKind } from './recipients-block';
import { SaveStatus } from './save-status';
import { SendBar } from './send-bar';
import { attachmentSizeWarning, sendBlocker, sendReminders, type Reminder } from './send-checks';
import { useComposeDraft } from './use-compose-draft';
import { useDraftAttachments } from './use-draft-attachments';
import { useServerLimits } from './use-server-limits';
import { MessageBodyField } from './message-body-field';
import { useSendOutcome } from './use-send-outcome';
import { FromField, SubjectField } from './header-fields';
import { MergeStarted } from '../merge/merge-started';
import './compose.css';

// Sending to a list is rarer than sending: its dialog loads when it is first opened.
const MergeDialog = lazy(() => import('../merge/merge-dialog').then((m) => ({ default: m.MergeDialog })));

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
  const [confirmingPlain, setConfirmingPlain] = useState(false);
  /** The reminders shown for the send the user asked for (and the time, for Send later). */
  const [asking, setAsking] = useState<{ reminders: Reminder[]; sendAt?: Date } | null>(null);
  const { attachments, attaching, attachError, attach, removeAttachment, onDrop } = useDraftAttachments(
    draft.id,
    draft.attachments,
  );
  const { outcome, setOutcome, requestRef, outboxRef } = useSendOutcome();
  const [finished, setFinished] = useState(false);
  const [discardError, setDiscardError] = useState<MailroomError | null>(null);
  /** "Send to a list…" is open (on the saved draft), or has queued its job. */
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<MergeReceipt | null>(null);
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
  // Only chips are judged: an address still being typed (its suggestions open) is not wrong yet;
  // it is checked when it becomes a chip, which Send does first.
  const everyone = [...all.to, ...all.cc, ...all.bcc];
  const chips = [...recipients.to, ...recipients.cc, ...recipients.bcc];
  const { problems, warnings } = checkRecipients(chips, limits.smtpUtf8);
  const problemMap = new Map(problems.map((p) => [p.recipient.address, p.reason]));
  const blocker = sendBlocker(!!from, all.to, problems, attachments);
  const sizeWarning = attachmentSizeWarning(attachments, limits.sizeLimitBytes);

  const busy = outcome.kind === 'submitting';

  useEffect(() => {
    document.title = subject.trim() ? `${subject} – Mailroom` : 'New message – Mailroom';
  }, [subject]);

  async function send(options: { sendAt?: Date; anyway?: boolean } = {}) {
    if (blocker || !from || busy || finished) return;
    setRecipients(all);
    setPending({ to: '', cc: '', bcc: '' });
    // What was still being typed is judged now that it is a chip; a wrong one stops the send.
    if (checkRecipients(everyone, limits.smtpUtf8).problems.length > 0) return;
    if (!options.anyway) {
      const bodyText = mode === 'plain' ? text : htmlToPlainText(html);
      const reminders = sendReminders(subject, bodyText, attachments.length);
      if (reminders.length > 0) {
        setAsking({ reminders, ...(options.sendAt ? { sendAt: options.sendAt } : {}) });
        return;
      }
    }
    setAsking(null);
    // The core sends what is saved: save first, then one call (it builds, queues, drops the draft).
    const saved = await autosave.save();
    if (!saved) return;
    const requestId = crypto.randomUUID();
    requestRef.current = requestId;
    setOutcome({ kind: 'submitting' });
    const result = await mailroom().sendDraft({
      draftId: draft.id,
      requestId,
      ...(options.sendAt ? { sendAt: options.sendAt.toISOString() } : {}),
    });
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
    outboxRef.current = outboxId;
    const result = await mailroom().retryOutboxEntry({ id: outboxId });
    if (!result.ok) setOutcome({ kind: 'failed', error: result.error, outboxId });
    // Unless the outbox's events have already said more (sending, sent).
    else
      setOutcome((o) =>
        o.kind === 'failed' || (o.kind === 'queued' && o.error)
          ? { kind: 'queued', outboxId, undoable: false }
          : o,
      );
  }

  /**
   * Takes the message back (Undo, or Edit after a failure): the core cancels it and makes it a draft
   * again, as typed, leaving nothing sendable in the outbox.
   */
  async function reopen(outboxId: string) {
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

  /** The merge reads the saved draft: save what is typed first, then open the dialog on it. */
  async function openMerge() {
    if (!from || busy || finished) return;
    if (await autosave.save()) setMerging(true);
  }

  function close() {
    if (standalone) window.close();
    else leaveCompose();
  }

  function changeFrom(key: string) {
    const next = choices.find((c) => c.key === key);
    // The signature follows the sender; what the user wrote above it stays as it is.
    if (from && next) {
      const swapped = swapSignature({ html, text }, mode, from.identity, next.identity);
      if (swapped) {
        if (mode === 'rich') {
          setHtml(swapped.html);
          setEditorKey((k) => k + 1);
        } else setText(swapped.text);
      }
    }
    setPickedFrom(key);
  }

  /** Whether plain text would lose something: the body is more than its lines. */
  const hasFormatting = () =>
    plainTextToHtml(htmlToPlainText(html)) !== html.replace(/<p><br><\/p>/g, '<p></p>');

  function changeMode(plain: boolean) {
    if (plain && mode === 'rich') {
      if (hasFormatting()) setConfirmingPlain(true);
      else toPlain();
    } else if (!plain && mode === 'plain') {
      setHtml(plainTextToHtml(text));
      setEditorKey((k) => k + 1);
      setMode('rich');
    }
  }

  function toPlain() {
    setText(htmlToPlainText(html));
    setMode('plain');
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

  if (finished && merged) {
    return <MergeStarted receipt={merged} standalone={standalone} onClose={close} />;
  }
  if (finished && outcome.kind !== 'idle' && outcome.kind !== 'submitting') {
    return (
      <ComposeDone
        outcome={outcome}
        onRetry={(id) => void retryQueued(id)}
        onUndo={(id) => void reopen(id)}
        onEdit={(id) => void reopen(id)}
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
      <div className="compose-fields">
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
          // Writing starts at the recipients, for a new message and a draft taken up again alike.
          autoFocusTo
          onChange={(field, list, rest) => {
            setRecipients((r) => ({ ...r, [field]: list }));
            setPending((p) => ({ ...p, [field]: rest }));
          }}
        />
        <SubjectField value={subject} onChange={setSubject} />
      </div>
      <MessageBodyField
        mode={mode}
        html={html}
        text={text}
        editorKey={editorKey}
        onHtmlChange={setHtml}
        onTextChange={setText}
        onPlainChange={changeMode}
        confirmingPlain={confirmingPlain}
        onConfirmPlain={(drop) => {
          setConfirmingPlain(false);
          if (drop) toPlain();
        }}
      />
      <div className="compose-footer">
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
          reminders={asking?.reminders ?? []}
          onSend={() => void send()}
          onSendLater={(at) => void send({ sendAt: at })}
          onSendAnyway={() =>
            void send({ anyway: true, ...(asking?.sendAt ? { sendAt: asking.sendAt } : {}) })
          }
          onReminderBack={() => {
            const first = asking?.reminders[0];
            setAsking(null);
            if (first?.kind === 'no-subject') document.getElementById('compose-subject')?.focus();
            else void attach();
          }}
          onDiscard={() => void discard()}
          onSendToList={from ? () => void openMerge() : undefined}
        />
      </div>
      {merging && (
        <Suspense fallback={null}>
          <MergeDialog
            draftId={draft.id}
            ignoredTo={all.to.length}
            onClose={() => setMerging(false)}
            onStarted={(receipt) => {
              // The job holds the message now (the draft is consumed, as by Send).
              autosave.forget();
              setMerging(false);
              setMerged(receipt);
              setFinished(true);
            }}
          />
        </Suspense>
      )}
    </form>
  );
}
