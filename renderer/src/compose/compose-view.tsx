import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import type { SendReceipt } from '../../../shared/ipc/contract';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { splitAddressList } from './address-list';

interface Props {
  accounts: AccountSummary[];
  defaultAccountId: string | null;
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'sent'; receipt: SendReceipt }
  | { kind: 'failed'; error: MailroomError };

/** Every identity of every account, as the From picker lists them. */
function fromChoices(accounts: AccountSummary[]) {
  return accounts.flatMap((account) =>
    account.identities.map((identity) => ({
      key: `${account.id}/${identity.id}`,
      accountId: account.id,
      identityId: identity.id,
      label: identity.name ? `${identity.name} <${identity.address}>` : identity.address,
    })),
  );
}

export function ComposeView({ accounts, defaultAccountId }: Props) {
  const choices = useMemo(() => fromChoices(accounts), [accounts]);
  const initialFrom = choices.find((c) => c.accountId === defaultAccountId)?.key ?? choices[0]?.key ?? '';
  const [pickedFrom, setFrom] = useState(initialFrom);
  // An account removed elsewhere falls back to the first remaining identity.
  const from = choices.some((c) => c.key === pickedFrom) ? pickedFrom : (choices[0]?.key ?? '');
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const headingId = useId();

  const recipients = splitAddressList(to);
  const blocker =
    recipients.valid.length === 0
      ? 'Add at least one recipient.'
      : recipients.invalid.length > 0
        ? `Check this address: ${recipients.invalid[0]}`
        : null;

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const choice = choices.find((c) => c.key === from);
    if (blocker || !choice || outcome.kind === 'sending') return;
    setOutcome({ kind: 'sending' });
    const result = await mailroom().sendMessage({
      accountId: choice.accountId,
      identityId: choice.identityId,
      to: recipients.valid,
      subject,
      text: body,
      requestId: crypto.randomUUID(),
    });
    if (result.ok) {
      setOutcome({ kind: 'sent', receipt: result.value });
      setTo('');
      setSubject('');
      setBody('');
    } else {
      setOutcome({ kind: 'failed', error: result.error });
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send();
  }

  return (
    <form
      className="compose"
      aria-labelledby={headingId}
      onSubmit={(e) => void send(e)}
      onKeyDown={onKeyDown}
    >
      <h2 id={headingId}>New message</h2>
      <div className="field">
        <label htmlFor="compose-from">From</label>
        <select id="compose-from" value={from} onChange={(e) => setFrom(e.target.value)}>
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="compose-to">To</label>
        <input
          id="compose-to"
          type="text"
          spellCheck={false}
          placeholder="name@example.com, other@example.org"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="compose-subject">Subject</label>
        <input id="compose-subject" value={subject} onChange={(e) => setSubject(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="compose-body">Message</label>
        <textarea id="compose-body" rows={14} value={body} onChange={(e) => setBody(e.target.value)} />
      </div>
      <div className="actions">
        {blocker && (to.trim() !== '' || outcome.kind !== 'idle') && (
          <span className="form-problem" id="send-blocker">
            {blocker}
          </span>
        )}
        <button
          type="submit"
          className="primary"
          disabled={!!blocker || outcome.kind === 'sending'}
          title={blocker ?? 'Send (Ctrl+Enter)'}
        >
          {outcome.kind === 'sending' ? 'Sending…' : 'Send'}
        </button>
      </div>
      <div aria-live="polite">
        {outcome.kind === 'sending' && <p role="status">Sending…</p>}
        {outcome.kind === 'sent' && (
          <div className="notice notice-success" role="status">
            <strong>Sent.</strong> The server replied: <code>{outcome.receipt.response}</code>
          </div>
        )}
        {outcome.kind === 'failed' && <ErrorNotice error={outcome.error} title="Not sent" />}
      </div>
    </form>
  );
}
