import { useEffect, useId, useRef, useState } from 'react';
import type { AwaitOAuthSignInResponse, OAuthStatus } from '../../../shared/domain/oauth';
import { mailroom } from '../mailroom-api';

interface Props {
  /** Provider database id from discovery ("gmail", "outlook-com"). */
  providerId: string;
  providerName: string;
  /** The address being set up, preselected on the provider's sign-in page. */
  loginHint?: string | undefined;
  /** The provider also takes an app password (authKind 'app-password-required'): say so as the alternative. */
  appPasswordAllowed: boolean;
  /**
   * Signing in again for an existing account (Accounts): the core saves the new grant to it on success,
   * and the outcome passed to onSignedIn then carries the updated account.
   */
  accountId?: string | undefined;
  /** The button's text; "Sign in with <service>" when not given. */
  actionLabel?: string | undefined;
  /** The provider's own steps for app passwords (provider data notes), shown when sign-in is not possible. */
  appPasswordSteps?: readonly string[] | undefined;
  /** The provider's setup page for these settings. */
  instructionsUrl?: string | undefined;
  /** Called with the finished sign-in: verify with { oauthSignInId }, then saveOAuthSignIn after createAccount. */
  onSignedIn: (signInId: string, outcome: AwaitOAuthSignInResponse) => void;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'waiting'; signInId: string; url: string; opened: boolean }
  | { kind: 'done'; serviceName: string }
  | { kind: 'failed'; message: string; hint?: string | undefined };

/**
 * "Sign in with Google / Microsoft / …" for the wizard's server step. The sign-in happens in the system
 * browser; this shows progress, a cancel button, and what to do when the app has no client ID for the
 * provider (with app passwords as the alternative where the provider allows them).
 */
export function OAuthSignIn({
  providerId,
  providerName,
  loginHint,
  appPasswordAllowed,
  accountId,
  actionLabel,
  appPasswordSteps = [],
  instructionsUrl,
  onSignedIn,
}: Props) {
  // Several of these can be on one page (one per account in Accounts): ids must not collide.
  const headingId = useId();
  const [status, setStatus] = useState<OAuthStatus | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const current = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    void mailroom()
      .getOAuthStatus({ providerId })
      .then((result) => live && result.ok && setStatus(result.value));
    return () => {
      live = false;
      if (current.current) void mailroom().cancelOAuthSignIn({ signInId: current.current });
    };
  }, [providerId]);

  async function signIn() {
    const started = await mailroom().startOAuthSignIn({
      providerId,
      ...(loginHint ? { loginHint } : {}),
      ...(accountId ? { accountId } : {}),
    });
    if (!started.ok)
      return setPhase({ kind: 'failed', message: started.error.message, hint: started.error.hint });
    const { signInId, authorizationUrl, opened } = started.value;
    current.current = signInId;
    setPhase({ kind: 'waiting', signInId, url: authorizationUrl, opened });
    const outcome = await mailroom().awaitOAuthSignIn({ signInId });
    current.current = null;
    if (!outcome.ok) {
      if (outcome.error.code === 'CANCELLED') return setPhase({ kind: 'idle' });
      return setPhase({ kind: 'failed', message: outcome.error.message, hint: outcome.error.hint });
    }
    setPhase({ kind: 'done', serviceName: outcome.value.serviceName });
    onSignedIn(signInId, outcome.value);
  }

  function cancel() {
    if (phase.kind === 'waiting') void mailroom().cancelOAuthSignIn({ signInId: phase.signInId });
  }

  const appPassword = appPasswordAllowed ? (
    <p className="oauth-alternative">
      Alternatively, create an app password in your {providerName} account’s security settings and enter it as
      the password: it works without signing in here, and you can revoke it there at any time.
    </p>
  ) : null;

  if (!status) return null;
  if (!status.supported) return appPassword;
  if (!status.configured) {
    // No sign-in built into this copy: the user is told what works instead (an app password, with
    // the provider's own steps), never how to build a copy that has one.
    const serviceName = status.serviceName ?? providerName;
    return (
      <section className="oauth-sign-in" aria-labelledby={headingId} data-oauth="not-configured">
        <h3 id={headingId}>
          {appPasswordAllowed ? `Use an app password for ${providerName}` : `Sign in with ${serviceName}`}
        </h3>
        <p role="note">{status.problem}</p>
        {appPasswordAllowed ? (
          <>
            {appPasswordSteps.length > 0 && (
              <ul className="oauth-alternative">
                {appPasswordSteps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ul>
            )}
            <p>
              Create an app password in your {providerName} account’s security settings, enter it as the
              Password above, then check the settings. You can revoke it there at any time.
            </p>
          </>
        ) : (
          status.fix && <p>{status.fix}</p>
        )}
        {instructionsUrl && (
          <p>
            <button
              type="button"
              className="link-button"
              onClick={() => void mailroom().openExternal({ url: instructionsUrl })}
            >
              Open {providerName}’s setup instructions
            </button>
          </p>
        )}
      </section>
    );
  }
  const serviceName = status.serviceName ?? providerName;
  return (
    <section className="oauth-sign-in" aria-labelledby={headingId}>
      <h3 id={headingId}>Sign in with {serviceName}</h3>
      {phase.kind === 'done' ? (
        <p role="status">
          Signed in with {phase.serviceName}. Mailroom keeps the sign-in in your system keychain.
        </p>
      ) : phase.kind === 'waiting' ? (
        <div role="status" aria-live="polite">
          <p>
            <progress aria-label={`Waiting for the ${serviceName} sign-in`} />{' '}
            {phase.opened
              ? `Finish signing in in the browser window that opened, then come back here.`
              : 'Open the sign-in page in your browser and finish signing in there:'}
          </p>
          {!phase.opened ? (
            <p>
              <a href={phase.url} target="_blank" rel="noreferrer noopener">
                Open the {serviceName} sign-in page
              </a>
            </p>
          ) : null}
          <button type="button" onClick={cancel}>
            Cancel sign-in
          </button>
        </div>
      ) : (
        <>
          <button type="button" onClick={() => void signIn()}>
            {actionLabel ?? `Sign in with ${serviceName}`}
          </button>
          {phase.kind === 'failed' ? (
            <p role="alert">
              {phase.message} {phase.hint}
            </p>
          ) : null}
        </>
      )}
      {phase.kind !== 'done' ? appPassword : null}
    </section>
  );
}
