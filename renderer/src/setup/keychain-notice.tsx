import type { KeychainStatus } from '../../../shared/domain/account';

/** The keychain cannot be used: why, how to fix it, and what happens to the password meanwhile. */
export function KeychainNotice({ keychain }: { keychain: KeychainStatus }) {
  return (
    <div className="notice notice-warning" role="status">
      <p className="notice-message">{keychain.problem ?? 'The system keychain cannot be used.'}</p>
      {keychain.fix && <p className="notice-hint">{keychain.fix}</p>}
      <p>
        Until it works, Mailroom can keep your password in memory for this session only: you will be asked for
        it again the next time Mailroom starts. It is never written to disk.
      </p>
    </div>
  );
}
