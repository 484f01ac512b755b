import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { DEFAULT_PORT, type Security } from '../../../shared/domain/smtp-settings';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { FIELD_HELP, SECURITY_LABELS } from './server-form-fields';

interface Props {
  keychain: { available: boolean; problem?: string | undefined } | undefined;
  onSaved: () => void;
  onCancel?: (() => void) | undefined;
}

interface FormState {
  displayName: string;
  email: string;
  host: string;
  port: string;
  security: Security;
  username: string;
  password: string;
  allowUnencrypted: boolean;
}

const INITIAL: FormState = {
  displayName: '',
  email: '',
  host: '',
  port: String(DEFAULT_PORT.tls),
  security: 'tls',
  username: '',
  password: '',
  allowUnencrypted: false,
};

/** Problems the user can fix before anything is sent to the core, in the form's own words. */
function validate(form: FormState): string | null {
  if (!form.displayName.trim()) return 'Enter your name as recipients should see it.';
  if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim())) return 'Enter your email address, like name@example.com.';
  if (!form.host.trim()) return 'Enter the outgoing (SMTP) server, like smtp.example.com.';
  const port = Number(form.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return 'The port is a number from 1 to 65535 (usually 465 or 587).';
  if (form.security === 'none' && form.password && !form.allowUnencrypted) {
    return 'Without encryption your password would travel in plain text. Choose SSL/TLS or STARTTLS, or tick “Allow unencrypted”.';
  }
  return null;
}

export function SetupWizard({ keychain, onSaved, onCancel }: Props) {
  const [form, setForm] = useState<FormState>(INITIAL);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<MailroomError | null>(null);
  const [attempted, setAttempted] = useState(false);
  const ids = { help: useId() };
  const problem = validate(form);

  const update = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));

  const changeSecurity = (security: Security) =>
    setForm((previous) => {
      // Follow the security choice with its standard port, unless the user typed their own.
      const usingDefault = Object.values(DEFAULT_PORT).map(String).includes(previous.port);
      return { ...previous, security, port: usingDefault ? String(DEFAULT_PORT[security]) : previous.port };
    });

  async function save(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (problem) return;
    setSaving(true);
    setError(null);
    const result = await mailroom().createAccount({
      email: form.email.trim(),
      displayName: form.displayName.trim(),
      smtp: {
        host: form.host.trim(),
        port: Number(form.port),
        security: form.security,
        authMethod: form.password ? 'password' : 'none',
        username: form.username.trim() || form.email.trim(),
        allowUnencrypted: form.allowUnencrypted,
      },
      password: form.password || undefined,
    });
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setForm(INITIAL);
    onSaved();
  }

  return (
    <form className="wizard" onSubmit={(e) => void save(e)} aria-labelledby={ids.help} noValidate>
      <h2 id={ids.help}>Set up an outgoing account</h2>
      {keychain && !keychain.available && (
        <div className="notice notice-warning" role="status">
          {keychain.problem}
        </div>
      )}
      <fieldset>
        <legend>You</legend>
        <Field label="Your name" help="Shown to recipients next to your address.">
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              autoComplete="name"
              value={form.displayName}
              onChange={(e) => update('displayName', e.target.value)}
            />
          )}
        </Field>
        <Field label="Email address" help="The address your mail comes from.">
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              type="email"
              autoComplete="email"
              value={form.email}
              onChange={(e) => update('email', e.target.value)}
            />
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Outgoing server (SMTP)</legend>
        <Field label="Server" help={FIELD_HELP.host}>
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              placeholder="smtp.example.com"
              spellCheck={false}
              value={form.host}
              onChange={(e) => update('host', e.target.value)}
            />
          )}
        </Field>
        <Field label="Security" help={FIELD_HELP.security}>
          {(id, helpId) => (
            <select
              id={id}
              aria-describedby={helpId}
              value={form.security}
              onChange={(e) => changeSecurity(e.target.value as Security)}
            >
              {(Object.keys(SECURITY_LABELS) as Security[]).map((s) => (
                <option key={s} value={s}>
                  {SECURITY_LABELS[s]}
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
              value={form.port}
              onChange={(e) => update('port', e.target.value.replace(/[^0-9]/g, ''))}
            />
          )}
        </Field>
        {form.security === 'none' && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.allowUnencrypted}
              onChange={(e) => update('allowUnencrypted', e.target.checked)}
            />
            Allow unencrypted connection (anyone on the network can read the password and mail)
          </label>
        )}
        <Field label="Username" help={FIELD_HELP.username}>
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              autoComplete="username"
              spellCheck={false}
              placeholder={form.email || 'name@example.com'}
              value={form.username}
              onChange={(e) => update('username', e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" help={FIELD_HELP.password}>
          {(id, helpId) => (
            <input
              id={id}
              aria-describedby={helpId}
              type="password"
              autoComplete="current-password"
              value={form.password}
              onChange={(e) => update('password', e.target.value)}
            />
          )}
        </Field>
      </fieldset>
      {attempted && problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      {error && <ErrorNotice error={error} title="The account was not saved" />}
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save account'}
        </button>
      </div>
    </form>
  );
}

function Field({
  label,
  help,
  children,
}: {
  label: string;
  help: string;
  children: (id: string, helpId: string) => ReactNode;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, helpId)}
      <p className="field-help" id={helpId}>
        {help}
      </p>
    </div>
  );
}
