import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import type { VerifyReport } from '../../../shared/domain/verification';
import type { MailroomError } from '../../../shared/result';
import type { AccountSummary, KeychainStatus } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { ServerSettingsFields, serverFieldsProblem } from './server-settings-fields';
import {
  EMPTY_SERVER,
  domainOf,
  mergeDiscovered,
  usernameFor,
  usernameFormOf,
  type ServerField,
  type ServerForm,
  type UsernameForm,
} from './server-form';
import { CertificatePanel } from './certificate-panel';
import { DiscoveryBanner } from './discovery-banner';
import { DiscoveryProgress } from './discovery-progress';
import { KeychainNotice } from '../common/keychain-notice';
import { TrustedCertificateNotice } from './trusted-certificate-notice';
import { useSetupProgress } from './use-setup-progress';
import { VerificationProgress } from './verification-progress';
import { DeliveryCheckSection } from './delivery-check';
import { YouStep, youProblem, type You } from './you-step';
import { TestMessagePanel } from './test-message-panel';
import { OAuthSignIn } from '../oauth/oauth-sign-in';

interface Props {
  keychain: KeychainStatus | undefined;
  /** The account is saved (its address, for the window to say so). */
  onSaved: (address: string) => void;
  onCancel?: (() => void) | undefined;
}

export type { ServerForm } from './server-form';

/** Where the user is. Whether a check passed or failed is not a phase: it belongs to the values it checked. */
type Phase = 'you' | 'discovering' | 'server' | 'verifying' | 'saved';

/** One settings check: the exact values it ran with, and what came of it. */
interface Check {
  key: string;
  report: VerifyReport | null;
  error: MailroomError | null;
}

/** One lookup: the domain it was for, and what came of it (null result: stopped, or entered by hand). */
interface Lookup {
  domain: string;
  result: DiscoveryResult | null;
  error: MailroomError | null;
}

/**
 * The account setup wizard, one pane as in Thunderbird: who you are (name, address, password) stays
 * on screen and editable above the outgoing server, which is discovered where possible and always
 * editable, then checked live against the real server before anything is saved. Nothing the user
 * typed is replaced: a lookup fills only untouched fields, and a check's result is shown only while
 * the form still holds the values it checked.
 */
export function SetupWizard({ keychain, onSaved, onCancel }: Props) {
  const [phase, setPhase] = useState<Phase>('you');
  const [you, setYou] = useState<You>({ displayName: '', email: '', password: '' });
  const [server, setServer] = useState<ServerForm>(EMPTY_SERVER);
  const [touched, setTouched] = useState<ReadonlySet<ServerField>>(new Set());
  const [usernameForm, setUsernameForm] = useState<UsernameForm>('address');
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [lookupStartedAt, setLookupStartedAt] = useState(0);
  const [thirdPartyConfirmed, setThirdPartyConfirmed] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const [saveUnverified, setSaveUnverified] = useState(false);
  const [saveError, setSaveError] = useState<MailroomError | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<AccountSummary | null>(null);
  /** A finished "Sign in with …" (OAuth2): the account uses XOAUTH2 instead of a password. */
  const [oauthSignInId, setOauthSignInId] = useState<string | null>(null);
  const requestId = useRef('');
  const checkButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  const email = you.email.trim();
  const domain = domainOf(email);
  // The username follows the address, in the provider's form, until the user types their own.
  const form: ServerForm = touched.has('username')
    ? server
    : { ...server, username: usernameFor(email, usernameForm) };

  function smtpSettings(values: ServerForm = form) {
    return {
      host: values.host.trim(),
      port: Number(values.port),
      security: values.security,
      authMethod: oauthSignInId
        ? ('oauth2' as const)
        : you.password
          ? ('password' as const)
          : ('none' as const),
      username: values.username.trim() || email,
      allowUnencrypted: values.allowUnencrypted,
      trustedFingerprint: values.trustedFingerprint,
      trustedCertificatePem: values.trustedCertificatePem,
    };
  }
  const keyOf = (values: ServerForm = form) =>
    JSON.stringify({ smtp: smtpSettings(values), password: you.password, oauthSignInId });
  const currentKey = keyOf();
  // A result that no longer matches the form is gone: it said nothing about these values.
  const current = check && check.key === currentKey ? check : null;
  const outcome: 'verified' | 'failed' | null = current ? (current.report?.ok ? 'verified' : 'failed') : null;
  /** The phase in the words the focus and buttons were written for. */
  const stage = phase === 'server' ? (outcome ?? 'server') : phase;
  const report = current?.report ?? null;

  // Steps and buttons replace each other ("Check settings" becomes "Stop checking", the certificate
  // panel goes away), taking the focused control with them. So keyboard and screen-reader users go on
  // from where they were, not from the top of the page: a new step focuses its heading; within the
  // server step, focus that was lost lands on the next thing to do.
  const screen = phase === 'you' || phase === 'discovering' || phase === 'saved' ? phase : 'server';
  const shownScreen = useRef<string>(screen);
  useEffect(() => {
    if (shownScreen.current !== screen) {
      shownScreen.current = screen;
      const headingId =
        screen === 'you'
          ? 'wizard-heading'
          : screen === 'discovering'
            ? 'discovery-heading'
            : screen === 'saved'
              ? 'saved-heading'
              : 'server-heading';
      document.getElementById(headingId)?.focus();
      return;
    }
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!lost || screen !== 'server') return;
    if (stage === 'verifying') stopButton.current?.focus();
    else if (stage === 'verified') saveButton.current?.focus();
    else checkButton.current?.focus();
  }, [screen, stage]);

  const { discoverySteps, setDiscoverySteps, verifySteps, setVerifySteps } = useSetupProgress(requestId);

  const updateYou = <K extends keyof You>(key: K, value: You[K]) => setYou((p) => ({ ...p, [key]: value }));

  /** Continue: look the settings up, unless they were already looked up (or entered) for this domain. */
  async function proceed(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (youProblem(you)) return;
    setAttempted(false);
    if (lookup && lookup.domain === domain) {
      setPhase('server');
      return;
    }
    await discover();
  }

  async function discover() {
    const lookedUp = domain;
    requestId.current = crypto.randomUUID();
    setDiscoverySteps([]);
    setOauthSignInId(null);
    setLookupStartedAt(Date.now());
    setPhase('discovering');
    const result = await mailroom().discoverSettings({ email, requestId: requestId.current });
    if (!result.ok) {
      // Stopped (enterManually has moved on) or refused: the user fills the form by hand.
      if (result.error.code === 'CANCELLED') return;
      setLookup({ domain: lookedUp, result: null, error: result.error });
      setPhase('server');
      return;
    }
    setLookup({ domain: lookedUp, result: result.value, error: null });
    setThirdPartyConfirmed(false);
    if (result.value.settings) {
      setUsernameForm(usernameFormOf(result.value, email));
      setServer((s) => mergeDiscovered(s, touched, result.value));
    }
    setPhase('server');
  }

  function enterManually() {
    if (phase === 'discovering') void mailroom().cancelDiscovery({ requestId: requestId.current });
    requestId.current = '';
    setLookup({ domain, result: null, error: null });
    setPhase('server');
  }

  function changeServer(patch: Partial<ServerForm>) {
    setTouched((t) => new Set([...t, ...(Object.keys(patch) as ServerField[])]));
    setServer((previous) => ({ ...previous, ...patch }));
  }

  async function verify(event?: FormEvent, values: ServerForm = form) {
    event?.preventDefault();
    setAttempted(true);
    if (serverFieldsProblem(values, you.password !== '' && !oauthSignInId)) return;
    if (discovery?.thirdParty && !thirdPartyConfirmed) return;
    setAttempted(false);
    setSaveError(null);
    setSaveUnverified(false);
    const key = keyOf(values);
    requestId.current = crypto.randomUUID();
    setVerifySteps([]);
    setCheck(null);
    setPhase('verifying');
    const result = await mailroom().verifySmtp({
      requestId: requestId.current,
      smtp: smtpSettings(values),
      ...(oauthSignInId ? { oauthSignInId } : { password: you.password || undefined }),
    });
    setCheck(
      result.ok ? { key, report: result.value, error: null } : { key, report: null, error: result.error },
    );
    setPhase('server');
  }

  function cancelVerify() {
    void mailroom().cancelVerify({ requestId: requestId.current });
  }

  /** Trusting is the answer to the check's question: check again at once, with the certificate pinned. */
  function trustCertificate() {
    const certificate = report?.certificate;
    if (!certificate?.pem) return;
    const trusted: ServerForm = {
      ...form,
      trustedFingerprint: certificate.fingerprint256,
      trustedCertificatePem: certificate.pem,
    };
    setServer(trusted);
    void verify(undefined, trusted);
  }

  async function save(thenTest: boolean) {
    setSaving(true);
    setSaveError(null);
    const result = await mailroom().createAccount({
      email,
      displayName: you.displayName.trim(),
      smtp: smtpSettings(),
      password: oauthSignInId ? undefined : you.password || undefined,
      // Without a usable keychain the password lives in memory for this session only, never on disk.
      credentialMode: keychain && !keychain.available ? 'session' : 'keychain',
      verifiedAt: outcome === 'verified' ? new Date().toISOString() : undefined,
    });
    if (result.ok && oauthSignInId) {
      // The sign-in's refresh token goes to the keychain under the new account.
      const signedIn = await mailroom().saveOAuthSignIn({
        signInId: oauthSignInId,
        accountId: result.value.id,
      });
      if (!signedIn.ok) {
        setSaving(false);
        setSaveError(signedIn.error);
        return;
      }
    }
    setSaving(false);
    if (!result.ok) {
      setSaveError(result.error);
      return;
    }
    if (!thenTest) {
      onSaved(result.value.label);
      return;
    }
    setSaved(result.value);
    setPhase('saved');
  }

  const discovery = lookup && lookup.domain === domain ? lookup.result : null;
  const lookupError = lookup && lookup.domain === domain ? lookup.error : null;
  const domainChanged = lookup !== null && domain !== '' && lookup.domain !== domain;
  const problemServer = serverFieldsProblem(form, you.password !== '' && !oauthSignInId);
  const needsThirdParty = !!discovery?.thirdParty && !thirdPartyConfirmed;
  const showOAuth = !!discovery?.provider && (discovery.oauth2Available || discovery.authKind === 'oauth2');
  const failure = outcome === 'failed' ? (report?.error ?? current?.error ?? null) : null;
  const whereSecret =
    keychain && !keychain.available ? 'in memory for this session' : 'in your system keychain';

  if (phase === 'saved' && saved) {
    return (
      <div className="wizard">
        <h2 id="wizard-heading" tabIndex={-1}>
          Set up an outgoing account
        </h2>
        <section aria-labelledby="saved-heading">
          <h3 id="saved-heading" tabIndex={-1}>
            Account saved
          </h3>
          <div className="notice notice-success" role="status">
            <p className="notice-message">
              <strong>{saved.label} is saved.</strong> Mailroom sends from it with these settings; the{' '}
              {oauthSignInId ? 'sign-in' : 'password'} is kept {whereSecret}.
            </p>
            <p className="notice-hint">
              Next: the test message below shows the server really takes mail from this account. Then write
              your first message; you can change the account any time in Accounts.
            </p>
          </div>
          <TestMessagePanel accountId={saved.id} address={email} autoStart />
          <div className="actions">
            <button type="button" className="primary" onClick={() => onSaved(saved.label)}>
              Write a message
            </button>
          </div>
        </section>
      </div>
    );
  }

  return (
    <div className="wizard">
      <h2 id="wizard-heading" tabIndex={-1}>
        Set up an outgoing account
      </h2>
      <KeychainNotice keychain={keychain} />

      <YouStep
        you={you}
        onChange={updateYou}
        attempted={attempted}
        onSubmit={(e) => {
          if (phase === 'you') void proceed(e);
          else e.preventDefault();
        }}
        onCancel={onCancel}
        onEnterManually={() => (youProblem(you) ? setAttempted(true) : enterManually())}
        showActions={phase === 'you'}
        disabled={phase === 'discovering' || phase === 'verifying'}
      />

      {phase === 'discovering' && (
        <DiscoveryProgress
          domain={domain}
          steps={discoverySteps}
          startedAt={lookupStartedAt}
          onStop={enterManually}
        />
      )}

      {(phase === 'server' || phase === 'verifying') && (
        <form onSubmit={(e) => void verify(e)} aria-labelledby="server-heading" noValidate>
          <h3 id="server-heading" tabIndex={-1}>
            Outgoing server (SMTP)
          </h3>
          {domainChanged && (
            <div className="notice notice-info" role="status">
              <p className="notice-message">
                The address is now at {domain}; the settings below were {lookup?.result ? 'found' : 'entered'}{' '}
                for {lookup?.domain}.
              </p>
              <p>
                <button type="button" className="link-button" onClick={() => void discover()}>
                  Look up the settings for {domain}
                </button>{' '}
                (fills only the fields you have not changed)
              </p>
            </div>
          )}
          <DiscoveryBanner result={discovery} showNotes={!showOAuth} showNotFound={outcome !== 'verified'} />
          {lookupError && outcome !== 'verified' && <ErrorNotice error={lookupError} />}
          {discovery?.thirdParty && (
            <label className="checkbox notice notice-warning">
              <input
                type="checkbox"
                checked={thirdPartyConfirmed}
                onChange={(e) => setThirdPartyConfirmed(e.target.checked)}
              />
              {discovery.thirdParty.reason} Use the servers of {discovery.thirdParty.domain} for{' '}
              {discovery.domain}?
            </label>
          )}
          {showOAuth && discovery?.provider && (
            <OAuthSignIn
              providerId={discovery.provider.id}
              providerName={discovery.provider.name}
              loginHint={email}
              appPasswordAllowed={discovery.authKind !== 'oauth2'}
              appPasswordSteps={discovery.notes}
              onSignedIn={(signInId) => setOauthSignInId(signInId)}
            />
          )}
          <fieldset disabled={phase === 'verifying'}>
            <legend>Server settings</legend>
            <ServerSettingsFields values={form} onChange={changeServer} usernamePlaceholder={email} />
            {form.trustedFingerprint && (
              <TrustedCertificateNotice
                fingerprint={form.trustedFingerprint}
                onStopTrusting={() =>
                  setServer((s) => ({
                    ...s,
                    trustedFingerprint: undefined,
                    trustedCertificatePem: undefined,
                  }))
                }
              />
            )}
          </fieldset>

          {attempted && (problemServer || needsThirdParty) && (
            <p className="form-problem" role="alert">
              {problemServer ??
                `Confirm that you want to use the servers of ${discovery?.thirdParty?.domain}.`}
            </p>
          )}

          {(phase === 'verifying' || current) && (
            <VerificationProgress checking={phase === 'verifying'} steps={verifySteps} report={report} />
          )}

          {failure && <ErrorNotice error={failure} title="These settings did not work" />}
          {failure &&
            report?.certificate &&
            !report.certificate.pinned &&
            (failure.code === 'TLS_CERT_UNTRUSTED' || failure.code === 'TLS_HOSTNAME_MISMATCH') && (
              <CertificatePanel certificate={report.certificate} onTrust={trustCertificate} />
            )}
          {outcome === 'verified' && (
            <div className="notice notice-success" role="status">
              <strong>Everything checks out.</strong> {report?.host} accepted the connection
              {you.password || oauthSignInId ? ' and your sign-in' : ''}.
            </div>
          )}
          {current && phase === 'server' && (
            <DeliveryCheckSection
              from={email}
              smtpHost={form.host.trim()}
              smtpPort={Number(form.port) || undefined}
            />
          )}
          {saveError && <ErrorNotice error={saveError} title="The account was not saved" />}

          {outcome === 'failed' && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={saveUnverified}
                onChange={(e) => setSaveUnverified(e.target.checked)}
              />
              Save these settings even though the check failed (sending may not work)
            </label>
          )}

          <div className="actions">
            <button type="button" onClick={() => setPhase('you')} disabled={phase === 'verifying'}>
              Back
            </button>
            {phase === 'verifying' ? (
              <button ref={stopButton} type="button" onClick={cancelVerify}>
                Stop checking
              </button>
            ) : (
              <button ref={checkButton} type="submit" className={outcome === 'verified' ? '' : 'primary'}>
                {outcome ? 'Check again' : 'Check settings'}
              </button>
            )}
            {phase === 'server' && (outcome === 'verified' || (outcome === 'failed' && saveUnverified)) && (
              <>
                <button
                  ref={saveButton}
                  type="button"
                  className="primary"
                  disabled={saving}
                  onClick={() => void save(false)}
                >
                  {saving
                    ? 'Saving…'
                    : outcome === 'verified'
                      ? 'Save account'
                      : 'Save without a working check'}
                </button>
                <button type="button" disabled={saving} onClick={() => void save(true)}>
                  Save and send a test message
                </button>
              </>
            )}
          </div>
          {phase === 'server' && (outcome === 'verified' || (outcome === 'failed' && saveUnverified)) && (
            <p className="field-help">
              Saving keeps these settings for sending, with the {oauthSignInId ? 'sign-in' : 'password'}{' '}
              {whereSecret}, and opens a new message. “Save and send a test message” first sends you a short
              message through this server, to prove it works.
            </p>
          )}
        </form>
      )}
    </div>
  );
}
