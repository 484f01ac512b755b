import { useState, type FormEvent } from 'react';
import type { AccountSummary, KeychainStatus } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { TextField } from '../common/field';
import { KeychainNotice } from '../common/keychain-notice';
import { useAccountAction } from './use-account-action';

interface Props {
  account: AccountSummary;
  keychain: KeychainStatus | undefined;
  onSaved: () => void;
  onClose: () => void;
}

/**
 * Enter a new password. It goes to the core once and is never shown again; where it is kept is the
 * user's choice when the keychain cannot be used (memory only, asked again at the next start).
 */
export function PasswordForm({ account, keychain, onSaved, onClose }: Props) {
  const [password, setPassword] = useState('');
  const keychainUsable = keychain?.available !== false;
  const [mode, setMode] = useState<'keychain' | 'session'>(keychainUsable ? 'keychain' : 'session');
  const save = useAccountAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!password) return;
    await save.run(
      () => mailroom().setAccountPassword({ accountId: account.id, password, credentialMode: mode }),
      () => {
        setPassword('');
        onSaved();
        onClose();
      },
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={`Password for ${account.label}`} noValidate>
      <fieldset>
        <legend>{account.hasPassword ? 'Replace the password' : 'Enter the password'}</legend>
        <KeychainNotice keychain={keychain} />
        <TextField
          label="New password"
          help="Mailroom never shows a saved password again; you can only replace it."
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <div role="radiogroup" aria-label="Where to keep the password">
          <label className="checkbox">
            <input
              type="radio"
              name={`mode-${account.id}`}
              checked={mode === 'keychain'}
              disabled={!keychainUsable}
              onChange={() => setMode('keychain')}
            />{' '}
            Save in the system keychain
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name={`mode-${account.id}`}
              checked={mode === 'session'}
              onChange={() => setMode('session')}
            />{' '}
            Keep for this session only (asked again next time Mailroom starts; never written to disk)
          </label>
        </div>
      </fieldset>
      {save.error && <ErrorNotice error={save.error} title="The password was not saved." />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" disabled={save.busy || !password} aria-busy={save.busy}>
          {save.busy ? 'Saving…' : 'Save password'}
        </button>
      </div>
    </form>
  );
}
