import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { AppState, MailroomApi } from '../../shared/ipc/contract';
import type { MailroomError } from '../../shared/result';
import { mailroom } from './mailroom-api';
import { SetupWizard } from './setup/setup-wizard';
import { isStandaloneComposeWindow, leaveCompose, useComposeRoute } from './compose/compose-route';
import { ErrorNotice } from './common/error-notice';
import { useKickOutboxWhenOnline } from './outbox/use-outbox';
import { Sidebar } from './shell/sidebar';
import type { PlaceKind } from './shell/place-icons';

// The rich-text editor and the other sections load on first use, so the first window (the setup
// wizard, or the compose launcher) becomes interactive without waiting for all of them.
const ComposeView = lazy(() => import('./compose/compose-view').then((m) => ({ default: m.ComposeView })));
const ComposeLauncher = lazy(() =>
  import('./compose/compose-launcher').then((m) => ({ default: m.ComposeLauncher })),
);
const DraftsView = lazy(() => import('./drafts/drafts-view').then((m) => ({ default: m.DraftsView })));
const AccountsView = lazy(() =>
  import('./accounts/accounts-view').then((m) => ({ default: m.AccountsView })),
);
const OutboxView = lazy(() => import('./outbox/outbox-view').then((m) => ({ default: m.OutboxView })));
const SentView = lazy(() => import('./sent/sent-view').then((m) => ({ default: m.SentView })));

type View =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'compose' }
  | { kind: 'accounts' }
  | { kind: 'outbox' }
  | { kind: 'sent' }
  | { kind: 'drafts' }
  | { kind: 'error'; error: MailroomError };

const PLACES: readonly string[] = ['compose', 'drafts', 'outbox', 'sent', 'accounts'] satisfies PlaceKind[];
const isPlace = (kind: View['kind']): kind is PlaceKind => PLACES.includes(kind);

interface Props {
  /** The app state already asked for at start-up (main.tsx); later reloads ask again. */
  firstState?: ReturnType<MailroomApi['getAppState']> | undefined;
}

export function App({ firstState }: Props = {}) {
  const [state, setState] = useState<AppState | null>(null);
  const [view, setView] = useState<View>({ kind: 'loading' });

  // Bumped to re-read the app state (after an account is saved).
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  // Said where the user lands after setup: the account exists, and how to prove it sends. It goes
  // when the user moves to another place (it belongs to that moment, not to the window).
  const [savedNotice, setSavedNotice] = useState<string | null>(null);

  useKickOutboxWhenOnline();

  useEffect(() => {
    let current = true;
    const request = generation === 0 && firstState ? firstState : mailroom().getAppState({});
    void request.then((result) => {
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
  }, [generation, firstState]);

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

  // The sidebar once there is an account to send from; the first setup has the window to itself.
  const withSidebar = !!state && state.accounts.length > 0 && !standalone;
  const place: PlaceKind | null = composeDraftId
    ? 'compose'
    : view.kind === 'setup'
      ? 'accounts'
      : isPlace(view.kind)
        ? view.kind
        : null;

  return (
    <div
      className={`app-shell ${withSidebar ? 'with-sidebar' : standalone ? 'compose-window' : 'first-setup'}`}
    >
      {withSidebar ? (
        <Sidebar
          current={place}
          onGo={(kind) => {
            leaveCompose();
            setSavedNotice(null);
            setView({ kind });
          }}
        />
      ) : (
        <header className="app-header">
          <h1>Mailroom</h1>
        </header>
      )}
      <main className="content">
        {savedNotice && (
          <div className="saved-notice" role="status">
            <p>
              <strong>{savedNotice} is set up.</strong> Messages you write go out through its server; to see
              one really arrive, use “Send a test message” in Accounts.
            </p>
            <button type="button" onClick={() => setSavedNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
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
                  onSaved={(address) => {
                    setSavedNotice(address);
                    reload();
                  }}
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
              {view.kind === 'sent' && <SentView />}
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
