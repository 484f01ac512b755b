import { useEffect, useRef, useState } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import type { MailroomError } from '../../../shared/result';
import { ErrorNotice } from '../common/error-notice';
import { startNewMessage } from './new-message';

interface Props {
  accounts: AccountSummary[];
  defaultAccountId: string | null;
  /** The host has no windows and the page now shows the draft: the main view should move on. */
  onShownInPage: () => void;
}

/**
 * "New message": starts a draft and opens it. In Electron it gets a window of its own and this page
 * says so; in the browser host the page moves to the draft's #/compose route.
 */
export function ComposeLauncher({ accounts, defaultAccountId, onShownInPage }: Props) {
  const [state, setState] = useState<'starting' | 'opened' | { error: MailroomError }>('starting');
  // One draft per visit, even when React runs the effect twice (StrictMode).
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void startNewMessage(accounts, defaultAccountId).then((result) => {
      if (result.ok && !result.value.opened) onShownInPage();
      else setState(result.ok ? 'opened' : { error: result.error });
    });
  }, [accounts, defaultAccountId, onShownInPage]);

  if (state === 'starting') {
    return (
      <p role="status" aria-live="polite">
        Starting a new message…
      </p>
    );
  }
  if (state !== 'opened') return <ErrorNotice error={state.error} title="Could not start a message" />;
  return (
    <section className="panel">
      <p role="status">Your new message opened in its own window.</p>
      <button type="button" onClick={() => void startNewMessage(accounts, defaultAccountId)}>
        Write another message
      </button>
    </section>
  );
}
