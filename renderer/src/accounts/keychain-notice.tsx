import type { KeychainStatus } from '../../../shared/domain/account';

/** What is wrong with the keychain and how to fix it; shown wherever a password is entered. */
export function KeychainNotice({ keychain }: { keychain: KeychainStatus | undefined }) {
  if (!keychain || keychain.available) return null;
  return (
    <div className="notice notice-warning" role="status" data-keychain-reason={keychain.reason}>
      <p className="notice-message">
        <strong>Passwords cannot be saved in the system keychain.</strong> {keychain.problem}
      </p>
      {keychain.fix && <p className="notice-hint">{keychain.fix}</p>}
    </div>
  );
}
