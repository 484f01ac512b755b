import { useState } from 'react';
import type { AccountSummary, KeychainStatus } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { oauthProviderOf } from './account-oauth';
import { AccountSettingsForm } from './account-settings-form';
import { ConfirmDialog } from './confirm-dialog';
import { IdentitiesEditor } from './identities-editor';
import { KeychainNotice } from '../common/keychain-notice';
import { PasswordForm } from './password-form';
import { SignInAgainPanel } from './sign-in-again-panel';
import { SendingLimitsForm } from './sending-limits-form';
import { useAccountAction } from './use-account-action';
import { VerifyAccountButton } from './verify-account-button';
import { TestMessagePanel } from '../setup/test-message-panel';
import './accounts.css';
import { formatDateTime } from '../../../shared/domain/date-time';

interface Props {
  accounts: AccountSummary[];
  defaultAccountId?: string | null | undefined;
  keychain?: KeychainStatus | undefined;
  /** Opens the setup wizard (with discovery and verification) to add an account. */
  onAdd: () => void;
  /** Re-reads the accounts after a change. */
  onChanged?: (() => void) | undefined;
}

type Panel = 'settings' | 'password' | 'sign-in' | 'identities' | 'test-message' | 'limits';

/** "Google" for an OAuth2 account whose provider is known; words that still read well otherwise. */
const serviceNameOf = (account: AccountSummary) => oauthProviderOf(account)?.serviceName ?? 'your provider';

/**
 * Accounts: add (through the wizard), edit with re-verification, default, remove, identities, signatures;
 * for OAuth2 accounts, sign in again and sign out instead of a password.
 */
export function AccountsView({ accounts, defaultAccountId, keychain, onAdd, onChanged }: Props) {
  const [open, setOpen] = useState<{ accountId: string; panel: Panel } | null>(null);
  const [removing, setRemoving] = useState<AccountSummary | null>(null);
  const [signingOut, setSigningOut] = useState<AccountSummary | null>(null);
  /** What the last sign-in or sign-out did, in words (the account card itself shows the new state). */
  const [done, setDone] = useState<{ message: string; hint?: string } | null>(null);
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
      {done && (
        <div className="notice notice-success" role="status">
          <p className="notice-message">{done.message}</p>
          {done.hint && <p className="notice-hint">{done.hint}</p>}
        </div>
      )}
      <ul className="plain-list" aria-label="Accounts">
        {accounts.map((account) => {
          const isDefault = account.id === effectiveDefault;
          const panel = open?.accountId === account.id ? open.panel : null;
          const needsPassword = account.smtp.authMethod === 'password' && !account.hasPassword;
          const isOAuth = account.smtp.authMethod === 'oauth2';
          const oauth = isOAuth ? oauthProviderOf(account) : undefined;
          // No grant saved (signed out, or never finished): sending fails until the user signs in.
          const needsSignIn = isOAuth && !account.hasPassword;
          const serviceName = serviceNameOf(account);
          /** A button that opens one of the card's panels, or closes it when it is the one open. */
          const panelButton = (which: Panel, label: string, text: string, className?: string) => (
            <button
              type="button"
              className={className}
              aria-expanded={panel === which}
              aria-label={label}
              onClick={() => toggle(account.id, which)}
            >
              {text}
            </button>
          );
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
                    <>Settings verified {formatDateTime(account.verifiedAt)}</>
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
                  {needsSignIn ? (
                    <span className="badge badge-warning">
                      Not signed in: nothing is sent from this account until you sign in with {serviceName}{' '}
                      again
                    </span>
                  ) : isOAuth ? (
                    `Signed in with ${oauth?.serviceName ?? 'OAuth2'}${account.credentialMode === 'session' ? ' (kept for this session only)' : ''}`
                  ) : needsPassword ? (
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
              {/* Two groups, each kept whole when a narrow window wraps the row: how the account connects,
                  then what it sends and a check that it does. Make default and Remove act on the account
                  itself, so they sit apart. */}
              <div className="account-actions">
                <div className="account-action-group">
                  {needsSignIn &&
                    panelButton('sign-in', `Sign in again for ${account.label}`, 'Sign in again', 'primary')}
                  {panelButton('settings', `Edit settings of ${account.label}`, 'Edit settings')}
                  {isOAuth ? (
                    <>
                      {!needsSignIn &&
                        panelButton('sign-in', `Sign in again for ${account.label}`, 'Sign in again')}
                      {account.hasPassword && (
                        <button
                          type="button"
                          aria-label={`Sign out ${account.label}`}
                          onClick={() => setSigningOut(account)}
                        >
                          Sign out
                        </button>
                      )}
                    </>
                  ) : (
                    panelButton(
                      'password',
                      `Change password of ${account.label}`,
                      needsPassword ? 'Enter password' : 'Change password',
                    )
                  )}
                </div>
                <div className="account-action-group">
                  {panelButton(
                    'identities',
                    `Identities and signatures of ${account.label}`,
                    'Identities and signatures',
                  )}
                  {panelButton('limits', `Sending limits of ${account.label}`, 'Sending limits')}
                  {panelButton(
                    'test-message',
                    `Send a test message from ${account.label}`,
                    'Send a test message',
                  )}
                </div>
              </div>
              {/* Placed in the card's top corner by the stylesheet, but last in the order a keyboard or a
                  screen reader meets them: removing is never the first thing focus lands on. */}
              <div className="account-manage">
                {!isDefault && (
                  <button
                    type="button"
                    aria-label={`Make default account: ${account.label}`}
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
                  className="quiet-danger"
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
              {panel === 'sign-in' && isOAuth && (
                <SignInAgainPanel
                  account={account}
                  provider={oauth}
                  onSaved={() => {
                    setDone({
                      message: `Signed in again: ${account.label} sends with the new ${serviceName} sign-in.`,
                    });
                    setOpen(null);
                    changed();
                  }}
                  onClose={() => setOpen(null)}
                />
              )}
              {panel === 'identities' && <IdentitiesEditor account={account} onChanged={changed} />}
              {panel === 'limits' && <SendingLimitsForm account={account} onClose={() => setOpen(null)} />}
              {panel === 'test-message' && (
                <TestMessagePanel
                  accountId={account.id}
                  address={
                    account.identities.find((i) => i.id === account.defaultIdentityId)?.address ??
                    account.identities[0]!.address
                  }
                  headingLevel={4}
                />
              )}
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
              ? `, and its saved ${removing.smtp.authMethod === 'oauth2' ? 'sign-in' : 'password'} is deleted from the system keychain too.`
              : `. No ${removing.smtp.authMethod === 'oauth2' ? 'sign-in' : 'password'} of it is saved, so there is nothing to delete from the keychain.`) +
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
      {signingOut && (
        <ConfirmDialog
          title={`Sign out ${signingOut.label}?`}
          message={
            `Mailroom will ${signingOut.credentialMode === 'keychain' ? 'delete its sign-in for this account from the system keychain' : 'forget its sign-in for this account'}` +
            ` and ask ${serviceNameOf(signingOut)} to withdraw Mailroom’s access where it allows that.` +
            ` Sending from ${signingOut.label} stops until you sign in again with “Sign in again”.` +
            ' The account, its settings and its identities stay.'
          }
          confirmLabel="Sign out"
          busyLabel="Signing out…"
          busy={action.busy}
          onCancel={() => setSigningOut(null)}
          onConfirm={() => {
            const account = signingOut;
            void action
              .run(
                () => mailroom().signOutOAuth({ accountId: account.id }),
                ({ revoked }) => {
                  const service = serviceNameOf(account);
                  setDone({
                    message: `Signed out of ${account.label}: Mailroom no longer keeps its sign-in, and sends nothing from it until you sign in again.`,
                    hint: revoked
                      ? `${service} has withdrawn Mailroom’s access too.`
                      : `${service} was not told (it offers no way to, or could not be reached): to be sure, remove Mailroom’s access in your ${service} account’s security settings.`,
                  });
                  setOpen(null);
                  changed();
                },
              )
              .finally(() => setSigningOut(null)); // on failure the error shows above the list
          }}
        />
      )}
    </section>
  );
}
