import { useState, type FormEvent } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import { DEFAULT_PORT, type Security } from '../../../shared/domain/smtp-settings';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { Field } from '../common/field';
import { FIELD_HELP, SECURITY_LABELS } from '../setup/server-form-fields';
import { useAccountAction } from './use-account-action';

export const REVERIFY_NOTE =
  'Changing the server, port, security or user name means Mailroom has to check the settings with the server again (re-verification) before you rely on them.';

interface Props {
  account: AccountSummary;
  onSaved: () => void;
  onClose: () => void;
}

/** Edit an account's name and outgoing-server settings. The password is changed separately. */
export function AccountSettingsForm({ account, onSaved, onClose }: Props) {
  const [label, setLabel] = useState(account.label);
  const [host, setHost] = useState(account.smtp.host);
  const [port, setPort] = useState(String(account.smtp.port));
  const [security, setSecurity] = useState<Security>(account.smtp.security);
  const [username, setUsername] = useState(account.smtp.username);
  const [allowUnencrypted, setAllowUnencrypted] = useState(account.smtp.allowUnencrypted);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAccountAction();

  const serverChanged =
    host.trim() !== account.smtp.host ||
    Number(port) !== account.smtp.port ||
    security !== account.smtp.security ||
    username.trim() !== account.smtp.username ||
    allowUnencrypted !== account.smtp.allowUnencrypted;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const portNumber = Number(port);
    if (!label.trim()) return setProblem('Give the account a name, for example “Work”.');
    if (!host.trim()) return setProblem('Enter the outgoing (SMTP) server, like smtp.example.com.');
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)
      return setProblem('The port is a number from 1 to 65535 (usually 465 or 587).');
    setProblem(null);
    await save.run(
      () =>
        mailroom().updateAccount({
          accountId: account.id,
          label: label.trim(),
          ...(serverChanged
            ? {
                smtp: {
                  ...account.smtp,
                  host: host.trim(),
                  port: portNumber,
                  security,
                  username: username.trim(),
                  allowUnencrypted,
                },
              }
            : {}),
        }),
      () => {
        onSaved();
        onClose();
      },
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={`Settings for ${account.label}`} noValidate>
      <fieldset>
        <legend>Account settings</legend>
        <p className="notice notice-warning" id={`reverify-${account.id}`}>
          {REVERIFY_NOTE}
        </p>
        <Field label="Account name" help="Only you see this name, in Mailroom’s lists.">
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
            />
          )}
        </Field>
        <Field label="Outgoing server" help={FIELD_HELP.host}>
          {(id, helpId) => (
            <input id={id} aria-describedby={helpId} value={host} onChange={(e) => setHost(e.target.value)} />
          )}
        </Field>
        <Field label="Security" help={FIELD_HELP.security}>
          {(id, helpId) => (
            <select
              id={id}
              aria-describedby={helpId}
              value={security}
              onChange={(e) => {
                const next = e.target.value as Security;
                // Follow the choice with its standard port unless the user typed their own.
                if (Object.values(DEFAULT_PORT).map(String).includes(port))
                  setPort(String(DEFAULT_PORT[next]));
                setSecurity(next);
              }}
            >
              {(Object.keys(SECURITY_LABELS) as Security[]).map((value) => (
                <option key={value} value={value}>
                  {SECURITY_LABELS[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Port" help={FIELD_HELP.port}>
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              inputMode="numeric"
              value={port}
              onChange={(e) => setPort(e.target.value)}
            />
          )}
        </Field>
        <Field label="User name" help={FIELD_HELP.username}>
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        {security === 'none' && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={allowUnencrypted}
              onChange={(e) => setAllowUnencrypted(e.target.checked)}
            />{' '}
            Allow unencrypted connections (your password would travel in plain text)
          </label>
        )}
      </fieldset>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      {save.error && <ErrorNotice error={save.error} title="The settings were not saved." />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" disabled={save.busy} aria-busy={save.busy}>
          {save.busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
