import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import type { VerifyReport } from '../../../shared/domain/verification';
import type { MailroomError } from '../../../shared/result';
import type { KeychainStatus } from '../../../shared/domain/account';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { ServerSettingsFields, serverFieldsProblem } from './server-settings-fields';
import { EMPTY_SERVER, serverFromDiscovery, type ServerForm } from './server-form';
import { CertificatePanel } from './certificate-panel';
import { DiscoveryBanner } from './discovery-banner';
import { DiscoveryProgress } from './discovery-progress';
import { KeychainNotice } from './keychain-notice';
import { TrustedCertificateNotice } from './trusted-certificate-notice';
import { useSetupProgress } from './use-setup-progress';
import { VerificationProgress } from './verification-progress';
import { YouStep, youProblem, type You } from './you-step';
import { OAuthSignIn } from '../oauth/oauth-sign-in';

interface Props {
  keychain: KeychainStatus | undefined;
  onSaved: () => void;
  onCancel?: (() => void) | undefined;
}

export type { ServerForm } from './server-form';

type Stage = 'you' | 'discovering' | 'server' | 'verifying' | 'verified' | 'failed';

/**
 * The account setup wizard: who you are, then the outgoing server (discovered where possible, always
 * editable), then a live check against the real server before anything is saved.
 */
export function SetupWizard({ keychain, onSaved, onCancel }: Props) {
  const [stage, setStage] = useState<Stage>('you');
  const [you, setYou] = useState<You>({ displayName: '', email: '', password: '' });
  const [server, setServer] = useState<ServerForm>(EMPTY_SERVER);
  const [discovery, setDiscovery] = useState<DiscoveryResult | null>(null);
  const [thirdPartyConfirmed, setThirdPartyConfirmed] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [saveUnverified, setSaveUnverified] = useState(false);
  const [error, setError] = useState<MailroomError | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  /** A finished "Sign in with …" (OAuth2): the account uses XOAUTH2 instead of a password. */
  const [oauthSignInId, setOauthSignInId] = useState<string | null>(null);
  const requestId = useRef('');
  const checkButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  // Steps and buttons replace each other ("Check settings" becomes "Stop checking", the certificate
  // panel goes away), taking the focused control with them. So keyboard and screen-reader users go on
  // from where they were, not from the top of the page: a new step focuses its heading; within the
  // server step, focus that was lost lands on the next thing to do.
  const screen = stage === 'you' ? 'you' : stage === 'discovering' ? 'discovering' : 'server';
  const shownScreen = useRef(screen);
  useEffect(() => {
    if (shownScreen.current !== screen) {
      shownScreen.current = screen;
      const headingId =
        screen === 'you'
          ? 'wizard-heading'
          : screen === 'discovering'
            ? 'discovery-heading'
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
  async function discover(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (youProblem(you)) return;
    setAttempted(false);
    requestId.current = crypto.randomUUID();
    setDiscoverySteps([]);
    setOauthSignInId(null);
    setStage('discovering');
    const result = await mailroom().discoverSettings({
      email: you.email.trim(),
      requestId: requestId.current,
    });
    if (!result.ok) {
      // Cancelled or refused: the user fills the form by hand.
      setDiscovery(null);
      if (result.error.code !== 'CANCELLED') setError(result.error);
      setServer((s) => ({ ...s, username: s.username || you.email.trim() }));
      setStage('server');
      return;
    }
    setDiscovery(result.value);
    setThirdPartyConfirmed(false);
    setServer(
      serverFromDiscovery(result.value, you.email.trim()) ?? { ...EMPTY_SERVER, username: you.email.trim() },
    );
    setStage('server');
  }

  function enterManually() {
    const current = requestId.current;
    if (stage === 'discovering') void mailroom().cancelDiscovery({ requestId: current });
    requestId.current = '';
    setDiscovery(null);
    setServer((s) => ({ ...s, username: s.username || you.email.trim() }));
    setStage('server');
  }

  function smtpSettings() {
    return {
      host: server.host.trim(),
      port: Number(server.port),
      security: server.security,
      authMethod: oauthSignInId
        ? ('oauth2' as const)
        : you.password
          ? ('password' as const)
          : ('none' as const),
      username: server.username.trim() || you.email.trim(),
      allowUnencrypted: server.allowUnencrypted,
      trustedFingerprint: server.trustedFingerprint,
      trustedCertificatePem: server.trustedCertificatePem,
    };
  }

  async function verify(event?: FormEvent) {
    event?.preventDefault();
    setAttempted(true);
    if (serverFieldsProblem(server, you.password !== '')) return;
    if (discovery?.thirdParty && !thirdPartyConfirmed) return;
    setAttempted(false);
    setError(null);
    setReport(null);
    setSaveUnverified(false);
    requestId.current = crypto.randomUUID();
    setVerifySteps([]);
    setStage('verifying');
    const result = await mailroom().verifySmtp({
      requestId: requestId.current,
      smtp: smtpSettings(),
      ...(oauthSignInId ? { oauthSignInId } : { password: you.password || undefined }),
    });
    if (!result.ok) {
      setError(result.error);
      setStage('failed');
      return;
    }
    setReport(result.value);
    setStage(result.value.ok ? 'verified' : 'failed');
  }

  function cancelVerify() {
    void mailroom().cancelVerify({ requestId: requestId.current });
  }

  function trustCertificate() {
    const certificate = report?.certificate;
    if (!certificate?.pem) return;
    setServer((s) => ({
      ...s,
      trustedFingerprint: certificate.fingerprint256,
      trustedCertificatePem: certificate.pem,
    }));
    setStage('server');
  }

  async function save() {
    setSaving(true);
    setError(null);
    const result = await mailroom().createAccount({
      email: you.email.trim(),
      displayName: you.displayName.trim(),
      smtp: smtpSettings(),
      password: oauthSignInId ? undefined : you.password || undefined,
      // Without a usable keychain the password lives in memory for this session only, never on disk.
      credentialMode: keychain && !keychain.available ? 'session' : 'keychain',
      verifiedAt: stage === 'verified' ? new Date().toISOString() : undefined,
    });
    if (result.ok && oauthSignInId) {
      // The sign-in's refresh token goes to the keychain under the new account.
      const saved = await mailroom().saveOAuthSignIn({ signInId: oauthSignInId, accountId: result.value.id });
      if (!saved.ok) {
        setSaving(false);
        setError(saved.error);
        return;
      }
    }
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onSaved();
  }

  const problemServer = serverFieldsProblem(server, you.password !== '');
  const needsThirdParty = !!discovery?.thirdParty && !thirdPartyConfirmed;

  return (
    <div className="wizard">
      <h2 id="wizard-heading" tabIndex={-1}>
        Set up an outgoing account
      </h2>
      {keychain && !keychain.available && <KeychainNotice keychain={keychain} />}

      {stage === 'you' && (
        <YouStep
          you={you}
          onChange={updateYou}
          attempted={attempted}
          onSubmit={(e) => void discover(e)}
          onCancel={onCancel}
          onEnterManually={() => (youProblem(you) ? setAttempted(true) : enterManually())}
        />
      )}

      {stage === 'discovering' && (
        <DiscoveryProgress domain={you.email.split('@')[1]} steps={discoverySteps} onStop={enterManually} />
      )}

      {(stage === 'server' || stage === 'verifying' || stage === 'verified' || stage === 'failed') && (
        <form onSubmit={(e) => void verify(e)} aria-labelledby="server-heading" noValidate>
          <h3 id="server-heading" tabIndex={-1}>
            Outgoing server (SMTP)
          </h3>
          <DiscoveryBanner result={discovery} />
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
          {discovery?.provider && (discovery.oauth2Available || discovery.authKind === 'oauth2') && (
            <OAuthSignIn
              providerId={discovery.provider.id}
              providerName={discovery.provider.name}
              loginHint={you.email.trim()}
              appPasswordAllowed={discovery.authKind !== 'oauth2'}
              onSignedIn={(signInId) => {
                setOauthSignInId(signInId);
                setReport(null);
              }}
            />
          )}
          <fieldset disabled={stage === 'verifying'}>
            <legend>Server settings</legend>
            <ServerSettingsFields
              values={server}
              onChange={(patch) => {
                setServer((previous) => ({ ...previous, ...patch }));
                setReport(null);
              }}
              usernamePlaceholder={you.email}
            />
            {server.trustedFingerprint && (
              <TrustedCertificateNotice
                fingerprint={server.trustedFingerprint}
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

          {(stage === 'verifying' || verifySteps.length > 0) && (
            <VerificationProgress checking={stage === 'verifying'} steps={verifySteps} report={report} />
          )}

          {stage === 'failed' && (report?.error ?? error) && (
            <ErrorNotice error={(report?.error ?? error)!} title="These settings did not work" />
          )}
          {stage === 'failed' &&
            report?.certificate &&
            !report.certificate.pinned &&
            (report.error?.code === 'TLS_CERT_UNTRUSTED' ||
              report.error?.code === 'TLS_HOSTNAME_MISMATCH') && (
              <CertificatePanel certificate={report.certificate} onTrust={trustCertificate} />
            )}
          {stage === 'verified' && (
            <div className="notice notice-success" role="status">
              <strong>Everything checks out.</strong> {report?.host} accepted the connection
              {you.password ? ' and your sign-in' : ''}.
            </div>
          )}
          {stage !== 'failed' && stage !== 'verified' && error && <ErrorNotice error={error} />}

          {stage === 'failed' && (
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
            <button type="button" onClick={() => setStage('you')} disabled={stage === 'verifying'}>
              Back
            </button>
            {stage === 'verifying' ? (
              <button ref={stopButton} type="button" onClick={cancelVerify}>
                Stop checking
              </button>
            ) : (
              <button ref={checkButton} type="submit" className={stage === 'verified' ? '' : 'primary'}>
                {stage === 'failed' || stage === 'verified' ? 'Check again' : 'Check settings'}
              </button>
            )}
            {(stage === 'verified' || (stage === 'failed' && saveUnverified)) && (
              <button
                ref={saveButton}
                type="button"
                className="primary"
                disabled={saving}
                onClick={() => void save()}
              >
                {saving ? 'Saving…' : stage === 'verified' ? 'Save account' : 'Save without a working check'}
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
