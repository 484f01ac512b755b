import { useState, type FormEvent } from 'react';
import type { AccountSummary, Identity } from '../../../shared/domain/account';
import { checkEmailAddress } from '../../../shared/domain/email-address';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { TextField } from '../common/field';
import { ConfirmDialog } from './confirm-dialog';
import { SignatureField } from '../compose/signature-field';
import { useAccountAction } from './use-account-action';
import { DeliveryCheckSection } from '../setup/delivery-check';

interface Props {
  account: AccountSummary;
  onChanged: () => void;
}

interface IdentityDraft {
  name: string;
  address: string;
  replyTo: string;
  signature: string;
  signatureHtml: string;
}

const EMPTY: IdentityDraft = { name: '', address: '', replyTo: '', signature: '', signatureHtml: '' };

/**
 * The addresses an account sends as. Every identity sends through its account's server; the default
 * one is preselected in the From field. The signature (formatted) is added below new messages.
 */
export function IdentitiesEditor({ account, onChanged }: Props) {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [removing, setRemoving] = useState<Identity | null>(null);
  const action = useAccountAction();

  return (
    <section aria-label={`Identities of ${account.label}`}>
      <h4>Identities (send as)</h4>
      <ul className="plain-list">
        {account.identities.map((identity) => (
          <li key={identity.id} className="identity-row">
            <strong>{identity.name || identity.address}</strong> &lt;{identity.address}&gt;
            {identity.id === account.defaultIdentityId && <span className="badge">Default identity</span>}
            {identity.replyTo && <span> · replies go to {identity.replyTo}</span>}
            {/* Keyed by address: a new or changed identity is checked again. */}
            <DeliveryCheckSection
              key={identity.address}
              compact
              level={5}
              from={identity.address}
              smtpHost={account.smtp.host}
              smtpPort={account.smtp.port}
            />
            {editing === identity.id ? (
              <IdentityForm
                title={`Edit ${identity.address}`}
                initial={{
                  name: identity.name,
                  address: identity.address,
                  replyTo: identity.replyTo ?? '',
                  signature: identity.signature,
                  signatureHtml: identity.signatureHtml ?? '',
                }}
                onCancel={() => setEditing(null)}
                onSubmit={(draft) =>
                  action.run(
                    () =>
                      mailroom().updateIdentity({ accountId: account.id, identityId: identity.id, ...draft }),
                    () => {
                      setEditing(null);
                      onChanged();
                    },
                  )
                }
              />
            ) : (
              <div className="actions">
                <button
                  type="button"
                  onClick={() => setEditing(identity.id)}
                  aria-label={`Edit identity ${identity.address}`}
                >
                  Edit
                </button>
                {identity.id !== account.defaultIdentityId && (
                  <button
                    type="button"
                    aria-label={`Make default identity: ${identity.address}`}
                    disabled={action.busy}
                    onClick={() =>
                      void action.run(
                        () =>
                          mailroom().setDefaultIdentity({ accountId: account.id, identityId: identity.id }),
                        onChanged,
                      )
                    }
                  >
                    Make default
                  </button>
                )}
                {account.identities.length > 1 && (
                  <button
                    type="button"
                    className="quiet-danger"
                    aria-label={`Remove identity ${identity.address}`}
                    onClick={() => setRemoving(identity)}
                  >
                    Remove
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <IdentityForm
          title="Add an identity"
          initial={EMPTY}
          onCancel={() => setEditing(null)}
          onSubmit={(draft) =>
            action.run(
              () => mailroom().addIdentity({ accountId: account.id, identity: draft }),
              () => {
                setEditing(null);
                onChanged();
              },
            )
          }
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          Add identity
        </button>
      )}
      {action.error && <ErrorNotice error={action.error} title="The identity was not changed." />}
      {removing && (
        <ConfirmDialog
          title={`Remove the identity ${removing.address}?`}
          message={`Mailroom will no longer offer ${removing.address} in the From field. The account and its other identities stay.`}
          confirmLabel="Remove identity"
          busy={action.busy}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            void action.run(
              () => mailroom().removeIdentity({ accountId: account.id, identityId: removing.id }),
              () => {
                setRemoving(null);
                onChanged();
              },
            )
          }
        />
      )}
    </section>
  );
}

function IdentityForm({
  title,
  initial,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial: IdentityDraft;
  onSubmit: (draft: IdentityDraft) => Promise<boolean>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (key: keyof IdentityDraft, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (/[\r\n]/.test(draft.name)) return setProblem('The name must fit on one line.');
    const address = checkEmailAddress(draft.address.trim());
    if (!address.ok) return setProblem(`Send-as address: ${address.message}`);
    const replyTo = draft.replyTo.trim() ? checkEmailAddress(draft.replyTo.trim()) : null;
    if (replyTo && !replyTo.ok) return setProblem(`Reply-to address (or leave it empty): ${replyTo.message}`);
    setProblem(null);
    setBusy(true);
    await onSubmit({
      ...draft,
      name: draft.name.trim(),
      address: draft.address.trim(),
      replyTo: draft.replyTo.trim(),
    });
    setBusy(false);
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
      <fieldset>
        <legend>{title}</legend>
        <TextField
          label="Name"
          help="Shown to recipients next to the address."
          value={draft.name}
          onChange={(value) => update('name', value)}
        />
        <TextField
          label="Send as address"
          help="The From address. Your server must allow sending as it."
          type="email"
          value={draft.address}
          onChange={(value) => update('address', value)}
        />
        <TextField
          label="Reply-to address"
          help="Optional: where replies go, if not to the address above."
          type="email"
          value={draft.replyTo}
          onChange={(value) => update('replyTo', value)}
        />
        <SignatureField
          html={draft.signatureHtml}
          text={draft.signature}
          onChange={({ html, text }) => setDraft((d) => ({ ...d, signature: text, signatureHtml: html }))}
        />
      </fieldset>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save identity'}
        </button>
      </div>
    </form>
  );
}
