import { useCallback, useEffect, useState } from 'react';
import type { AppState } from '../../shared/ipc/contract';
import type { MailroomError } from '../../shared/result';
import { mailroom } from './mailroom-api';
import { SetupWizard } from './setup/setup-wizard';
import { ComposeView } from './compose/compose-view';
import { ErrorNotice } from './common/error-notice';
import { AccountsView } from './accounts/accounts-view';
import { OutboxView } from './outbox/outbox-view';

type View =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'compose' }
  | { kind: 'accounts' }
  | { kind: 'outbox' }
  | { kind: 'error'; error: MailroomError };

/** The main window's sections, in the order the navigation shows them. */
const SECTIONS = [
  { kind: 'compose', label: 'New message' },
  { kind: 'outbox', label: 'Outbox' },
  { kind: 'accounts', label: 'Accounts' },
] as const;

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
        {state && state.accounts.length > 0 && (
          <nav aria-label="Main">
            {SECTIONS.map((section) => (
              <button
                key={section.kind}
                type="button"
                className="nav-button"
                aria-current={view.kind === section.kind ? 'page' : undefined}
                onClick={() => setView({ kind: section.kind })}
              >
                {section.label}
              </button>
            ))}
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
        {view.kind === 'accounts' && state && (
          <AccountsView accounts={state.accounts} onAdd={() => setView({ kind: 'setup' })} />
        )}
        {view.kind === 'outbox' && <OutboxView />}
        {view.kind === 'compose' && state && (
          <ComposeView accounts={state.accounts} defaultAccountId={state.defaultAccountId} />
        )}
      </main>
    </div>
  );
}
