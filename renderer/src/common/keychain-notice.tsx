import type { KeychainStatus } from '../../../shared/domain/account';

/**
 * The keychain cannot be used: why, how to fix it, and what happens to a password meanwhile. Shown
 * wherever a password is entered (setup, Accounts, Change password); nothing when the keychain works.
 */
export function KeychainNotice({ keychain }: { keychain: KeychainStatus | undefined }) {
  if (!keychain || keychain.available) return null;
  return (
    <div className="notice notice-warning" role="status" data-keychain-reason={keychain.reason}>
      <p className="notice-message">
        <strong>Passwords cannot be saved in the system keychain.</strong>{' '}
        {keychain.problem ?? 'The system keychain cannot be used.'}
      </p>
      {keychain.fix && <p className="notice-hint">{keychain.fix}</p>}
      <p>
        Until it works, Mailroom can keep a password in memory for this session only: you will be asked for it
        again the next time Mailroom starts. It is never written to disk.
      </p>
    </div>
  );
}
