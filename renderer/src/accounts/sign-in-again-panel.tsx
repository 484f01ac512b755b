import type { AccountSummary } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { OAuthSignIn } from '../oauth/oauth-sign-in';
import type { AccountOAuthProvider } from './account-oauth';
import { useAccountAction } from './use-account-action';

interface Props {
  account: AccountSummary;
  /** Undefined when neither the server name nor the address tells which provider this is. */
  provider: AccountOAuthProvider | undefined;
  onSaved: () => void;
  onClose: () => void;
}

/**
 * Signing in again for an OAuth2 account: the same sign-in as in the setup wizard, with the account's
 * id, so the new grant replaces the old one (after a revocation, a password change at the provider, or
 * a sign-out).
 */
export function SignInAgainPanel({ account, provider, onSaved, onClose }: Props) {
  const save = useAccountAction();

  if (!provider) {
    return (
      <div className="notice notice-warning" role="note">
        <p className="notice-message">
          Mailroom cannot tell which provider {account.label} signs in with: its server {account.smtp.host} is
          not one Mailroom knows, so it cannot start the sign-in from here.
        </p>
        <p className="notice-hint">
          Remove the account and add it again with “Add account”: the setup wizard finds the provider from the
          address and offers its sign-in.
        </p>
        <div className="actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    );
  }

  return (
    <div aria-label={`Sign in again for ${account.label}`} role="group">
      <p>
        Your browser opens {provider.serviceName}’s sign-in page. Once you finish there, Mailroom sends from{' '}
        {account.label} with the new sign-in and forgets the old one.
      </p>
      <OAuthSignIn
        providerId={provider.providerId}
        providerName={provider.providerName}
        loginHint={account.smtp.username || undefined}
        appPasswordAllowed={false}
        accountId={account.id}
        onSignedIn={(signInId, outcome) => {
          // Started with the accountId, the core saves the grant as soon as the code is exchanged and
          // returns the updated account (and then forgets the sign-in, so saving it again would fail).
          // Without an account in the answer, nothing was saved yet: save it here.
          if (outcome.account) {
            onSaved();
            return;
          }
          void save.run(() => mailroom().saveOAuthSignIn({ signInId, accountId: account.id }), onSaved);
        }}
      />
      {save.busy && (
        <p role="status">
          <progress aria-label={`Saving the sign-in for ${account.label}`} /> Saving the sign-in…
        </p>
      )}
      {save.error && <ErrorNotice error={save.error} title="The new sign-in was not saved." />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
