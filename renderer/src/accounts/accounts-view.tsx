import { useState } from 'react';
import type { AccountSummary, KeychainStatus } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { AccountSettingsForm } from './account-settings-form';
import { ConfirmDialog } from './confirm-dialog';
import { IdentitiesEditor } from './identities-editor';
import { KeychainNotice } from './keychain-notice';
import { PasswordForm } from './password-form';
import { useAccountAction } from './use-account-action';
import { VerifyAccountButton } from './verify-account-button';
import './accounts.css';

interface Props {
  accounts: AccountSummary[];
  defaultAccountId?: string | null | undefined;
  keychain?: KeychainStatus | undefined;
  /** Opens the setup wizard (with discovery and verification) to add an account. */
  onAdd: () => void;
  /** Re-reads the accounts after a change. */
  onChanged?: (() => void) | undefined;
}

type Panel = 'settings' | 'password' | 'identities';

/** Accounts: add (through the wizard), edit with re-verification, default, remove, identities, signatures. */
export function AccountsView({ accounts, defaultAccountId, keychain, onAdd, onChanged }: Props) {
  const [open, setOpen] = useState<{ accountId: string; panel: Panel } | null>(null);
  const [removing, setRemoving] = useState<AccountSummary | null>(null);
  const action = useAccountAction();
  const changed = () => onChanged?.();
  const effectiveDefault = defaultAccountId ?? accounts[0]?.id ?? null;

  const toggle = (accountId: string, panel: Panel) =>
    setOpen((current) =>
      current?.accountId === accountId && current.panel === panel ? null : { accountId, panel },
    );

  return (
    <section aria-labelledby="accounts-heading" className="panel">
      <h2 id="accounts-heading">Accounts</h2>
      <KeychainNotice keychain={keychain} />
      {action.error && <ErrorNotice error={action.error} />}
      <ul className="plain-list" aria-label="Accounts">
        {accounts.map((account) => {
          const isDefault = account.id === effectiveDefault;
          const panel = open?.accountId === account.id ? open.panel : null;
          const needsPassword = account.smtp.authMethod === 'password' && !account.hasPassword;
          return (
            <li key={account.id} className="account-card" aria-label={account.label}>
              <h3>
                {account.label}
                {isDefault && <span className="badge">Default account</span>}
              </h3>
              <ul className="account-facts">
                <li>
                  Sends through {account.smtp.host}:{account.smtp.port} as{' '}
                  {account.smtp.username || 'no user name'}
                </li>
                <li>
                  {account.verifiedAt ? (
                    <>Settings verified {new Date(account.verifiedAt).toLocaleString()}</>
                  ) : (
                    <>
                      <span className="badge badge-warning">
                        Needs re-verification: settings not checked since they changed
                      </span>{' '}
                      <VerifyAccountButton account={account} onVerified={changed} />
                    </>
                  )}
                </li>
                <li>
                  {needsPassword ? (
                    <span className="badge badge-warning">
                      Password needed
                      {account.credentialMode === 'session'
                        ? ' (kept for one session only, so asked again after each start)'
                        : ''}
                    </span>
                  ) : account.smtp.authMethod !== 'password' ? (
                    'No password needed'
                  ) : account.credentialMode === 'session' ? (
                    'Password kept for this session only'
                  ) : (
                    'Password saved in the system keychain'
                  )}
                </li>
              </ul>
              <div className="actions">
                <button
                  type="button"
                  aria-expanded={panel === 'settings'}
                  aria-label={`Edit settings of ${account.label}`}
                  onClick={() => toggle(account.id, 'settings')}
                >
                  Edit settings
                </button>
                <button
                  type="button"
                  aria-expanded={panel === 'password'}
                  aria-label={`Change password of ${account.label}`}
                  onClick={() => toggle(account.id, 'password')}
                >
                  {needsPassword ? 'Enter password' : 'Change password'}
                </button>
                <button
                  type="button"
                  aria-expanded={panel === 'identities'}
                  aria-label={`Identities and signatures of ${account.label}`}
                  onClick={() => toggle(account.id, 'identities')}
                >
                  Identities and signatures
                </button>
                {!isDefault && (
                  <button
                    type="button"
                    aria-label={`Make ${account.label} the default account`}
                    disabled={action.busy}
                    onClick={() =>
                      void action.run(() => mailroom().setDefaultAccount({ accountId: account.id }), changed)
                    }
                  >
                    Make default
                  </button>
                )}
                <button
                  type="button"
                  aria-label={`Remove ${account.label}`}
                  onClick={() => setRemoving(account)}
                >
                  Remove
                </button>
              </div>
              {panel === 'settings' && (
                <AccountSettingsForm account={account} onSaved={changed} onClose={() => setOpen(null)} />
              )}
              {panel === 'password' && (
                <PasswordForm
                  account={account}
                  keychain={keychain}
                  onSaved={changed}
                  onClose={() => setOpen(null)}
                />
              )}
              {panel === 'identities' && <IdentitiesEditor account={account} onChanged={changed} />}
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={onAdd}>
        Add account
      </button>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.label}?`}
          message={
            `Mailroom will forget this account and its ${removing.identities.length === 1 ? 'identity' : `${removing.identities.length} identities`}` +
            (removing.credentialMode === 'keychain' && removing.hasPassword
              ? ', and its saved password is deleted from the system keychain too.'
              : '. No password of it is saved, so there is nothing to delete from the keychain.') +
            ' Messages already sent are not affected.'
          }
          confirmLabel="Remove account"
          busy={action.busy}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            void action
              .run(
                () => mailroom().removeAccount({ accountId: removing.id }),
                () => {
                  setRemoving(null);
                  changed();
                },
              )
              .then((done) => {
                if (!done) setRemoving(null); // the error shows above the list
              })
          }
        />
      )}
    </section>
  );
}
