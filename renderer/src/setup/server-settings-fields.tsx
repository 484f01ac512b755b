import { DEFAULT_PORT, type Security } from '../../../shared/domain/smtp-settings';
import { Field } from '../common/field';
import { FIELD_HELP, SECURITY_LABELS } from './server-form-fields';

/** The outgoing-server fields as the user edits them (strings, as typed). */
export interface ServerFieldValues {
  host: string;
  port: string;
  security: Security;
  username: string;
  allowUnencrypted: boolean;
}

/** What is wrong with the fields, in the form's own words; null when they can be checked. */
export function serverFieldsProblem(values: ServerFieldValues, sendsPassword: boolean): string | null {
  if (!values.host.trim()) return 'Enter the outgoing (SMTP) server, like smtp.example.com.';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return 'The port is a number from 1 to 65535 (usually 465 or 587).';
  }
  if (values.security === 'none' && sendsPassword && !values.allowUnencrypted) {
    return 'Without encryption your password would travel in plain text. Choose SSL/TLS or STARTTLS, or tick “Allow unencrypted”.';
  }
  return null;
}

/**
 * Server, security, port, username and the unencrypted opt-in, each with plain-words help. Shared by
 * the setup wizard and the account editor so both explain the same settings the same way.
 */
export function ServerSettingsFields({
  values,
  onChange,
  usernamePlaceholder,
}: {
  values: ServerFieldValues;
  onChange: (patch: Partial<ServerFieldValues>) => void;
  usernamePlaceholder?: string;
}) {
  const changeSecurity = (security: Security) => {
    // Follow the security choice with its standard port, unless the user typed their own.
    const usingDefault = Object.values(DEFAULT_PORT).map(String).includes(values.port);
    onChange({ security, ...(usingDefault ? { port: String(DEFAULT_PORT[security]) } : {}) });
  };
  return (
    <>
      <Field label="Server" help={FIELD_HELP.host}>
        {(id, helpId) => (
          <input
            id={id}
            aria-describedby={helpId}
            placeholder="smtp.example.com"
            spellCheck={false}
            value={values.host}
            onChange={(e) => onChange({ host: e.target.value })}
          />
        )}
      </Field>
      <Field label="Security" help={FIELD_HELP.security}>
        {(id, helpId) => (
          <select
            id={id}
            aria-describedby={helpId}
            value={values.security}
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
            value={values.port}
            onChange={(e) => onChange({ port: e.target.value.replace(/[^0-9]/g, '') })}
          />
        )}
      </Field>
      {values.security === 'none' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={values.allowUnencrypted}
            onChange={(e) => onChange({ allowUnencrypted: e.target.checked })}
          />
          Allow unencrypted connection (anyone on the network can read the password and mail)
        </label>
      )}
      <Field label="Username" help={`${FIELD_HELP.username} ${FIELD_HELP.auth}`}>
        {(id, helpId) => (
          <input
            id={id}
            aria-describedby={helpId}
            autoComplete="username"
            spellCheck={false}
            placeholder={usernamePlaceholder}
            value={values.username}
            onChange={(e) => onChange({ username: e.target.value })}
          />
        )}
      </Field>
    </>
  );
}
