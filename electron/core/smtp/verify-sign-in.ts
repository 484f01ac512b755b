import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { MailroomError } from '../../../shared/result';
import { guarded } from './verify-network';
import type { VerificationRun } from './verification-run';

/**
 * Why sign-in is not even tried, checked in order: each rule is a situation the EHLO reply or the
 * settings reveal, and what the user is told about it.
 */
export const SIGN_IN_BLOCKERS: readonly {
  when: (d: VerificationRun) => boolean;
  error: (d: VerificationRun) => MailroomError;
}[] = [
  {
    when: ({ settings }) => settings.security === 'none' && !settings.allowUnencrypted,
    error: ({ settings, capabilities }) => ({
      code: 'AUTH_REQUIRES_ENCRYPTION',
      message: `Signing in would send your password to ${settings.host} unencrypted, so Mailroom did not try.`,
      hint: capabilities?.starttls
        ? 'This server offers STARTTLS: choose STARTTLS (port 587) or SSL/TLS (port 465).'
        : 'Choose SSL/TLS (port 465) or STARTTLS (port 587). Only on a network you trust, turn on "Allow unencrypted connection".',
    }),
  },
  {
    when: ({ capabilities }) => (capabilities?.authMechanisms ?? []).length === 0,
    error: ({ settings, capabilities }) => ({
      code: 'AUTH_UNAVAILABLE',
      message: `${settings.host}:${settings.port} does not offer sign-in (no AUTH in its EHLO reply)${settings.security === 'none' ? ' on an unencrypted connection' : ''}.`,
      hint:
        settings.security === 'none'
          ? 'Many servers only offer sign-in after encryption starts: choose STARTTLS (587) or SSL/TLS (465).'
          : 'This port may be for server-to-server relay (often port 25). Use the submission port from your provider (465 or 587), or set authentication to "None" if this server accepts mail from your network without a password.',
      details: { ehlo: capabilities?.raw ?? [] },
    }),
  },
  {
    when: ({ settings, capabilities }) =>
      settings.authMethod === 'oauth2' && !(capabilities?.authMechanisms ?? []).includes('XOAUTH2'),
    error: ({ settings, capabilities }) => ({
      code: 'AUTH_UNAVAILABLE',
      message: `${settings.host}:${settings.port} does not offer OAuth2 sign-in (no XOAUTH2 in its AUTH list: ${(capabilities?.authMechanisms ?? []).join(' ')}).`,
      hint: 'Use a password or an app password for this server, or check that the server name is your provider’s.',
      details: { ehlo: capabilities?.raw ?? [] },
    }),
  },
  {
    when: ({ settings, options }) => settings.authMethod === 'oauth2' && !options.accessToken,
    error: () => ({
      code: 'OAUTH_SIGN_IN_REQUIRED',
      message:
        'This account signs in with OAuth2, and there is no sign-in from the provider yet, so sign-in could not be checked.',
      hint: 'Sign in with your provider, then check again.',
    }),
  },
  {
    when: ({ settings, options }) => settings.authMethod === 'password' && !options.password,
    error: () => ({
      code: 'PASSWORD_MISSING',
      message: 'No password was given, so sign-in could not be checked.',
      hint: 'Enter the password for this account and check again.',
    }),
  },
];

/** PLAIN, then LOGIN, then whatever else the server offers (never XOAUTH2 for a password). */
function mechanismFor(d: VerificationRun): string {
  const offered = d.capabilities?.authMechanisms ?? [];
  if (d.settings.authMethod === 'oauth2') return 'XOAUTH2';
  return (
    ['PLAIN', 'LOGIN'].find((m) => offered.includes(m)) ?? offered.find((m) => m !== 'XOAUTH2') ?? 'PLAIN'
  );
}

/** AUTH with the account's secret. Never sends MAIL FROM or RCPT TO. */
export async function signIn(d: VerificationRun): Promise<void> {
  const { settings, options, connection } = d;
  if (options.skipAuth || !connection) return;
  d.steps.start('auth');
  if (settings.authMethod === 'none') {
    d.steps.skip('auth', 'This account does not sign in');
    return;
  }
  const blocker = SIGN_IN_BLOCKERS.find((rule) => rule.when(d));
  if (blocker) d.fail('auth', blocker.error(d));
  const mechanism = mechanismFor(d);
  const credentials =
    settings.authMethod === 'oauth2'
      ? {
          user: settings.username,
          oauth2: new XOAuth2({ user: settings.username, accessToken: options.accessToken }),
        }
      : { user: settings.username, pass: options.password ?? '', method: mechanism };
  try {
    await guarded<void>(d.signal, ({ resolve, reject }) => {
      connection.login(credentials, (err) => (err ? reject(err) : resolve()));
      return () => connection.close();
    });
  } catch (error) {
    const classified = d.classify(error);
    const response =
      typeof classified.details?.serverResponse === 'string' ? classified.details.serverResponse : undefined;
    d.auth = { attempted: true, ok: false, mechanism, ...(response ? { response } : {}) };
    d.fail('auth', classified, response ?? classified.message);
  }
  d.auth = {
    attempted: true,
    ok: true,
    mechanism,
    ...(connection.lastServerResponse ? { response: connection.lastServerResponse } : {}),
  };
  d.steps.pass('auth', `Signed in as ${settings.username} (${mechanism})`);
}
