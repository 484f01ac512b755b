import type { KeychainStatus } from '../../../shared/domain/account';
import type { MailroomError } from '../../../shared/result';

/**
 * Why the keychain cannot be used, in the user's words. keytar's errors are plain Errors with no code,
 * so they are recognised by message (the messages libsecret and D-Bus give on Linux; see
 * ENVIRONMENT.md). macOS and Windows keychains are always there, so their errors land in 'error'.
 */
export type KeychainProblem = Required<Pick<KeychainStatus, 'reason' | 'problem' | 'fix'>> & {
  code: 'KEYCHAIN_UNAVAILABLE' | 'KEYCHAIN_LOCKED';
  /** The fix without the session-only offer, for messages where that offer does not apply. */
  action: string;
};

const SESSION_OFFER =
  'Until then, Mailroom can keep a password in memory for this session only and ask for it again next time.';

function problem(
  code: KeychainProblem['code'],
  reason: KeychainProblem['reason'],
  what: string,
  action: string,
): KeychainProblem {
  return { code, reason, problem: what, action, fix: `${action} ${SESSION_OFFER}` };
}

export function describeKeychainFailure(error: unknown): KeychainProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS/i.test(message)) {
    return problem(
      'KEYCHAIN_UNAVAILABLE',
      'no-session-bus',
      'Mailroom cannot reach a keychain: this session has no D-Bus session bus, which is how apps find the ' +
        'system keychain (Secret Service) on Linux.',
      'Start Mailroom from a normal desktop login, or inside a D-Bus session with a keyring running ' +
        '(for example dbus-run-session, then gnome-keyring-daemon --unlock).',
    );
  }
  if (/org\.freedesktop\.secrets was not provided|ServiceUnknown/i.test(message)) {
    return problem(
      'KEYCHAIN_UNAVAILABLE',
      'no-secret-service',
      'No keychain service is running: nothing on this desktop provides the Secret Service that stores passwords.',
      'Install GNOME Keyring (Debian/Ubuntu: sudo apt install gnome-keyring) or KWallet, then log out and back in.',
    );
  }
  if (/locked collection|is locked|Object does not exist at path/i.test(message)) {
    return problem(
      'KEYCHAIN_LOCKED',
      'locked',
      'Your keyring is locked (or was never unlocked since you logged in), so Mailroom cannot save or read passwords.',
      'Unlock the “Login” keyring, for example in the Passwords and Keys app (Seahorse), then try again.',
    );
  }
  if (/Cannot find module|keytar\.node|NODE_MODULE_VERSION|was compiled against/i.test(message)) {
    return problem(
      'KEYCHAIN_UNAVAILABLE',
      'not-loaded',
      'Mailroom’s keychain component could not be loaded, so it cannot use the system keychain.',
      'Reinstall Mailroom.',
    );
  }
  return problem(
    'KEYCHAIN_UNAVAILABLE',
    'error',
    `The system keychain refused the request (${message}).`,
    'Check that your keychain app works and is unlocked, then try again.',
  );
}

/** A keychain failure as it crosses the boundary (what happened, and what to do next). */
export class KeychainError extends Error {
  constructor(readonly problem: KeychainProblem) {
    super(problem.problem);
    this.name = 'KeychainError';
  }
  toMailroomError(): MailroomError {
    return {
      code: this.problem.code,
      message: this.problem.problem,
      hint: this.problem.fix,
      details: { reason: this.problem.reason },
    };
  }
}
