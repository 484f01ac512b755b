import type { FormEvent } from 'react';
import { checkEmailAddress } from '../../../shared/domain/email-address';
import { TextField } from '../common/field';
import { FIELD_HELP } from './server-form-fields';

export interface You {
  displayName: string;
  email: string;
  password: string;
}

export function youProblem(you: You): string | null {
  if (!you.displayName.trim()) return 'Enter your name as recipients should see it.';
  if (!you.email.trim()) return 'Enter your email address, like name@example.com.';
  const address = checkEmailAddress(you.email.trim());
  if (!address.ok) return address.message;
  return null;
}

/**
 * Who you are (name, address, password). First alone, with Continue (discovery) and manual entry;
 * then it stays above the server settings, still editable (Thunderbird's single pane), so a wrong
 * password or address is fixed where the check reports it.
 */
export function YouStep({
  you,
  onChange,
  attempted,
  onSubmit,
  onCancel,
  onEnterManually,
  showActions = true,
  disabled = false,
}: {
  you: You;
  onChange: <K extends keyof You>(key: K, value: You[K]) => void;
  /** The user tried to go on: show what is missing. */
  attempted: boolean;
  onSubmit: (event: FormEvent) => void;
  onCancel?: (() => void) | undefined;
  onEnterManually: () => void;
  /** false below the server settings: Continue and manual entry are behind the user then. */
  showActions?: boolean;
  disabled?: boolean;
}) {
  const problem = youProblem(you);
  return (
    <form onSubmit={onSubmit} aria-labelledby="wizard-heading" noValidate>
      <fieldset disabled={disabled}>
        <legend>You</legend>
        <TextField
          label="Your name"
          help="Shown to recipients next to your address."
          autoComplete="name"
          value={you.displayName}
          onChange={(value) => onChange('displayName', value)}
        />
        <TextField
          label="Email address"
          help="The address your mail comes from. Mailroom looks up its server settings for you."
          type="email"
          autoComplete="email"
          value={you.email}
          onChange={(value) => onChange('email', value)}
        />
        <TextField
          label="Password"
          help={FIELD_HELP.password}
          type="password"
          autoComplete="current-password"
          value={you.password}
          onChange={(value) => onChange('password', value)}
        />
      </fieldset>
      {showActions && attempted && problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      {showActions && (
        <div className="actions">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="button" className="link-button" onClick={onEnterManually}>
            Enter server settings manually
          </button>
          <button type="submit" className="primary">
            Continue
          </button>
        </div>
      )}
    </form>
  );
}
