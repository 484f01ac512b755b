import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { AppState } from '../../shared/ipc/contract';
import type { MailroomError } from '../../shared/result';
import { mailroom } from './mailroom-api';
import { SetupWizard } from './setup/setup-wizard';
import { ComposeLauncher } from './compose/compose-launcher';
import { leaveCompose, useComposeRoute } from './compose/compose-route';
import { isStandaloneComposeWindow } from './compose/new-message';
import { ErrorNotice } from './common/error-notice';
import { OutboxPendingBadge } from './outbox/outbox-pending-badge';
import { useKickOutboxWhenOnline } from './outbox/use-outbox';

// The rich-text editor and the other sections load on first use, so the first window (the setup
// wizard, or the compose launcher) becomes interactive without waiting for all of them.
const ComposeView = lazy(() => import('./compose/compose-view').then((m) => ({ default: m.ComposeView })));
const DraftsView = lazy(() => import('./drafts/drafts-view').then((m) => ({ default: m.DraftsView })));
const AccountsView = lazy(() =>
  import('./accounts/accounts-view').then((m) => ({ default: m.AccountsView })),
);
const OutboxView = lazy(() => import('./outbox/outbox-view').then((m) => ({ default: m.OutboxView })));

type View =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'compose' }
  | { kind: 'accounts' }
  | { kind: 'outbox' }
  | { kind: 'drafts' }
  | { kind: 'error'; error: MailroomError };

/** The main window's sections, in the order the navigation shows them. */
const SECTIONS = [
  { kind: 'compose', label: 'New message' },
  { kind: 'drafts', label: 'Drafts' },
  { kind: 'outbox', label: 'Outbox' },
  { kind: 'accounts', label: 'Accounts' },
] as const;

export function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [view, setView] = useState<View>({ kind: 'loading' });

  // Bumped to re-read the app state (after an account is saved).
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useKickOutboxWhenOnline();

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
        // A change made in Accounts reloads the state but stays there (until no account is left).
        setView((current) =>
          result.value.accounts.length === 0
            ? { kind: 'setup' }
            : current.kind === 'accounts'
              ? current
              : { kind: 'compose' },
        );
      });
    return () => {
      current = false;
    };
  }, [generation]);

  // The application menu's commands arrive as events; the compose form handles "send" itself.
  useEffect(
    () =>
      mailroom().onMenuCommand(({ command }) => {
        if (command === 'newMessage') setView({ kind: 'compose' });
        else if (command === 'accounts' || command === 'preferences') setView({ kind: 'accounts' });
        else if (command === 'outbox') setView({ kind: 'outbox' });
      }),
    [],
  );

  // A compose window (#/compose/<draftId>): its own window in Electron, this page in the browser host.
  const composeDraftId = useComposeRoute();
  const standalone = isStandaloneComposeWindow();

  return (
    <div className="app-shell">
      <header className="app-header">
        <h1>Mailroom</h1>
        {state && state.accounts.length > 0 && !standalone && (
          <nav aria-label="Main">
            {SECTIONS.map((section) => (
              <button
                key={section.kind}
                type="button"
                className="nav-button"
                aria-current={(composeDraftId ? 'compose' : view.kind) === section.kind ? 'page' : undefined}
                onClick={() => {
                  leaveCompose();
                  setView({ kind: section.kind });
                }}
              >
                {section.label}
                {section.kind === 'outbox' && <OutboxPendingBadge />}
              </button>
            ))}
          </nav>
        )}
      </header>
      <main>
        <Suspense
          fallback={
            <p role="status" aria-live="polite">
              Loading…
            </p>
          }
        >
          {composeDraftId && state ? (
            <ComposeView
              key={composeDraftId}
              draftId={composeDraftId}
              accounts={state.accounts}
              defaultAccountId={state.defaultAccountId}
            />
          ) : (
            <>
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
                  onCancel={
                    state && state.accounts.length > 0 ? () => setView({ kind: 'compose' }) : undefined
                  }
                />
              )}
              {view.kind === 'accounts' && state && (
                <AccountsView
                  accounts={state.accounts}
                  defaultAccountId={state.defaultAccountId}
                  keychain={state.keychain}
                  onAdd={() => setView({ kind: 'setup' })}
                  onChanged={reload}
                />
              )}
              {view.kind === 'outbox' && <OutboxView />}
              {view.kind === 'drafts' && <DraftsView />}
              {view.kind === 'compose' && state && (
                <ComposeLauncher
                  accounts={state.accounts}
                  defaultAccountId={state.defaultAccountId}
                  onShownInPage={() => setView({ kind: 'drafts' })}
                />
              )}
            </>
          )}
        </Suspense>
      </main>
    </div>
  );
}
