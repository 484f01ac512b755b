import { useCallback, useEffect, useState } from 'react';
import type { AppState } from '../../shared/ipc/contract';
import type { MailroomError } from '../../shared/result';
import { mailroom } from './mailroom-api';
import { SetupWizard } from './setup/setup-wizard';
import { ComposeView } from './compose/compose-view';
import { ErrorNotice } from './common/error-notice';

type View =
  { kind: 'loading' } | { kind: 'setup' } | { kind: 'compose' } | { kind: 'error'; error: MailroomError };

export function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [view, setView] = useState<View>({ kind: 'loading' });

  // Bumped to re-read the app state (after an account is saved).
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let current = true;
    void mailroom()
      .getAppState({})
      .then((result) => {
        if (!current) return;
        if (!result.ok) {
          setView({ kind: 'error', error: result.error });
          return;
        }
        setState(result.value);
        setView(result.value.accounts.length === 0 ? { kind: 'setup' } : { kind: 'compose' });
      });
    return () => {
      current = false;
    };
  }, [generation]);

  return (
    <div className="app-shell">
      <header className="app-header">
        <h1>Mailroom</h1>
        {state && state.accounts.length > 0 && view.kind !== 'setup' && (
          <nav aria-label="Main">
            <button type="button" className="link-button" onClick={() => setView({ kind: 'setup' })}>
              Add account
            </button>
          </nav>
        )}
      </header>
      <main>
        {view.kind === 'loading' && (
          <p role="status" aria-live="polite">
            Loading…
          </p>
        )}
        {view.kind === 'error' && <ErrorNotice error={view.error} />}
        {view.kind === 'setup' && (
          <SetupWizard
            keychain={state?.keychain}
            onSaved={reload}
            onCancel={state && state.accounts.length > 0 ? () => setView({ kind: 'compose' }) : undefined}
          />
        )}
        {view.kind === 'compose' && state && (
          <ComposeView accounts={state.accounts} defaultAccountId={state.defaultAccountId} />
        )}
      </main>
    </div>
  );
}
