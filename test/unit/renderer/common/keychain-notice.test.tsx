import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { KeychainNotice } from '../../../../renderer/src/common/keychain-notice';

// The one keychain notice of setup, Accounts and Change password: silent when the keychain works,
// otherwise what is wrong, the fix, and what happens to a password meanwhile.

afterEach(cleanup);

describe('KeychainNotice', () => {
  it('says nothing while the keychain works (or before its state is known)', () => {
    const { container, rerender } = render(<KeychainNotice keychain={{ available: true }} />);
    expect(container.textContent).toBe('');
    rerender(<KeychainNotice keychain={undefined} />);
    expect(container.textContent).toBe('');
  });

  it('names the problem, the fix and the session-only fallback', () => {
    render(
      <KeychainNotice
        keychain={{
          available: false,
          reason: 'locked',
          problem: 'Your keyring is locked.',
          fix: 'Unlock the “Login” keyring.',
        }}
      />,
    );
    const notice = screen.getByRole('status');
    expect(notice.textContent).toContain(
      'Passwords cannot be saved in the system keychain. Your keyring is locked.',
    );
    expect(notice.textContent).toContain('Unlock the “Login” keyring.');
    expect(notice.textContent).toMatch(/in memory for this session only.*never written to disk/);
  });
});
