import { useState, type FormEvent } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { Field } from '../common/field';
import {
  ServerSettingsFields,
  serverFieldsProblem,
  type ServerFieldValues,
} from '../setup/server-settings-fields';
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
  const [server, setServer] = useState<ServerFieldValues>({
    host: account.smtp.host,
    port: String(account.smtp.port),
    security: account.smtp.security,
    username: account.smtp.username,
    allowUnencrypted: account.smtp.allowUnencrypted,
  });
  const { host, port, security, username, allowUnencrypted } = server;
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
    const serverProblem = serverFieldsProblem(server, account.hasPassword);
    if (serverProblem) return setProblem(serverProblem);
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
        <ServerSettingsFields values={server} onChange={(patch) => setServer((p) => ({ ...p, ...patch }))} />
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
