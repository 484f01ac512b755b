import { useState } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';

/**
 * Re-verifies an account's saved settings with the server (using its saved password, which stays in
 * the core) and records the check, so the "needs re-verification" mark goes away.
 */
export function VerifyAccountButton({
  account,
  onVerified,
}: {
  account: AccountSummary;
  onVerified: () => void;
}) {
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'checking'; step?: string } | { kind: 'failed'; error: MailroomError }
  >({
    kind: 'idle',
  });

  async function verify() {
    const requestId = `verify-${account.id}-${Date.now()}`;
    setState({ kind: 'checking' });
    const stop = mailroom().onVerifyProgress((progress) => {
      if (progress.requestId === requestId && progress.step.status === 'running') {
        setState({ kind: 'checking', step: progress.step.label ?? progress.step.name });
      }
    });
    try {
      const result = await mailroom().verifySmtp({ requestId, smtp: account.smtp, accountId: account.id });
      if (!result.ok) return setState({ kind: 'failed', error: result.error });
      if (!result.value.ok) {
        return setState({
          kind: 'failed',
          error: result.value.error ?? { code: 'INTERNAL', message: 'The server check did not pass.' },
        });
      }
      const saved = await mailroom().updateAccount({
        accountId: account.id,
        verifiedAt: new Date().toISOString(),
      });
      if (!saved.ok) return setState({ kind: 'failed', error: saved.error });
      setState({ kind: 'idle' });
      onVerified();
    } finally {
      stop();
    }
  }

  return (
    <>
      <button
        type="button"
        // The name starts with what the button shows, so speech users can say what they see.
        aria-label={`${state.kind === 'checking' ? 'Checking…' : 'Verify now'}: settings of ${account.label}`}
        disabled={state.kind === 'checking'}
        aria-busy={state.kind === 'checking'}
        onClick={() => void verify()}
      >
        {state.kind === 'checking' ? 'Checking…' : 'Verify now'}
      </button>
      {state.kind === 'checking' && (
        <p role="status" aria-live="polite">
          Checking the settings with {account.smtp.host}
          {state.step ? `: ${state.step}` : ''}…
        </p>
      )}
      {state.kind === 'failed' && (
        <ErrorNotice error={state.error} title="The settings did not pass the check." />
      )}
    </>
  );
}
