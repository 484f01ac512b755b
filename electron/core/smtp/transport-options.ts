import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import tls, { type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { SMTPTransportOptions } from 'nodemailer';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { fail, ok, type Result } from '../../../shared/result';

/** What the keychain hands over for one account. Never logged, never put in a report. */
export interface SmtpSecret {
  password?: string | undefined;
  /** OAuth2 bearer token for authMethod 'oauth2' (obtained elsewhere). */
  accessToken?: string | undefined;
}

export interface SmtpTimeouts {
  /** DNS lookup plus TCP connect (nodemailer counts both against this). */
  connectionMs: number;
  /** From TCP connected to the 220 banner (and a STARTTLS handshake). */
  greetingMs: number;
  /** Inactivity on an established session. */
  socketMs: number;
}

/**
 * Defaults sized for a desktop on a normal network: a reachable server answers within a second or two,
 * so 15 s means "blocked or down", not "slow". Sending big attachments keeps the socket busy, so the
 * inactivity timeout only has to outlast a slow server's reply to the final dot.
 */
export const DEFAULT_TIMEOUTS: SmtpTimeouts = { connectionMs: 15_000, greetingMs: 15_000, socketMs: 60_000 };

export interface TransportBuildOptions {
  timeouts?: Partial<SmtpTimeouts> | undefined;
  /** Name sent with EHLO; defaults to nodemailer's (the machine's hostname). */
  clientName?: string | undefined;
  /**
   * Connect without credentials even when the settings ask for a password (the settings check connects
   * first and logs in as a separate, timed step).
   */
  withoutAuth?: boolean | undefined;
}

/** Upper-case colon-separated hex, the form FingerprintSchema stores and Node's fingerprint256 uses. */
export function normalizeFingerprint(value: string): string {
  const hex = value.toUpperCase().replace(/[^0-9A-F]/g, '');
  return (hex.match(/../g) ?? []).join(':');
}

/** SHA-256 fingerprint of a PEM certificate, or undefined when the text is not a certificate. */
export function pemFingerprint256(pem: string): string | undefined {
  try {
    return normalizeFingerprint(new X509Certificate(pem).fingerprint256);
  } catch {
    return undefined;
  }
}

/** How many root sets (accounts with their own CA or pinned certificate) keep a built context. */
const MAX_CACHED_CONTEXTS = 16;
const contextsByRoots = new Map<string, tls.SecureContext>();

/** The part of Node's native secure context used here: it adds PEM certificates to the context's own store. */
interface NativeSecureContext {
  addCACert(pem: string): void;
}

/** The certificates of NODE_EXTRA_CA_CERTS, read as Node read them at start; none when unset or unreadable. */
function installationExtraRoots(): string | undefined {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // Node warned about it at start and trusts nothing from it; neither do we.
    return undefined;
  }
}

/**
 * A TLS context trusting Node's default roots (the bundled ones, plus NODE_EXTRA_CA_CERTS where an
 * installation sets it) plus `extraRoots`, built once per set of roots. The context starts from the
 * default store, which Node parses once per process, and the extra roots are added to its own copy
 * of it: passing `ca: [...tls.rootCertificates, ...]` instead parses every root's PEM again (about
 * 20 ms per context) and leaves out NODE_EXTRA_CA_CERTS, which every other account trusts. The
 * connection options that are not the context's (servername, checkServerIdentity,
 * rejectUnauthorized) stay per connection.
 */
function contextWithRoots(extraRoots: readonly string[]): tls.SecureContext {
  const key = extraRoots.join('\n');
  let context = contextsByRoots.get(key);
  if (!context) {
    context = tls.createSecureContext({
      minVersion: 'TLSv1.2',
      // See buildTlsOptions: the pinned certificate itself may be the trust anchor.
      allowPartialTrustChain: true,
    } as tls.SecureContextOptions);
    // `context` is Node's native SecureContext (what tls.createSecureContext fills from `ca`); each
    // PEM may hold several certificates, and all of them are added, as `ca` would.
    const native = (context as tls.SecureContext & { context: NativeSecureContext }).context;
    // Node adds NODE_EXTRA_CA_CERTS to its shared default store only, not to the copy a context
    // makes of it when a certificate is added, so it is added here as Node did at start.
    const installationExtra = installationExtraRoots();
    if (installationExtra) native.addCACert(installationExtra);
    for (const pem of extraRoots) native.addCACert(pem);
    if (contextsByRoots.size >= MAX_CACHED_CONTEXTS) {
      const oldest = contextsByRoots.keys().next().value;
      if (oldest !== undefined) contextsByRoots.delete(oldest);
    }
    contextsByRoots.set(key, context);
  }
  return context;
}

/**
 * TLS options shared by sending and verifying. Validation is never switched off: a self-signed or
 * private-CA server is trusted by ADDING its certificate (or the CA file) to the roots for this account,
 * on top of the system roots, and a pinned fingerprint must then match the certificate presented.
 */
export function buildTlsOptions(settings: SmtpSettings): Result<ConnectionOptions> {
  const extraRoots: string[] = [];
  const pin = settings.trustedFingerprint ? normalizeFingerprint(settings.trustedFingerprint) : undefined;

  if (settings.trustedCertificatePem) {
    // Only a PEM that really is the pinned certificate is added to the roots; anything else would
    // widen trust beyond what the user looked at and agreed to.
    if (pin && pemFingerprint256(settings.trustedCertificatePem) === pin) {
      extraRoots.push(settings.trustedCertificatePem);
    }
  }
  if (settings.caFile) {
    try {
      extraRoots.push(readFileSync(settings.caFile, 'utf8'));
    } catch (cause) {
      return fail({
        code: 'FILE_NOT_FOUND',
        message: `The CA file ${settings.caFile} could not be read (${(cause as Error).message}).`,
        hint: 'Choose the CA certificate file again in the account settings, or remove it to use the system roots only.',
      });
    }
  }

  const options: ConnectionOptions = {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    checkServerIdentity: (hostname: string, cert: PeerCertificate): Error | undefined => {
      // A pinned certificate the user accepted for this account identifies the server by itself:
      // self-signed certificates often name something else (the machine, "localhost").
      if (pin && normalizeFingerprint(cert.fingerprint256 ?? '') === pin) return undefined;
      return tls.checkServerIdentity(hostname, cert);
    },
  };
  if (extraRoots.length > 0) {
    // The default roots plus these, already built (tls.connect uses it instead of building its own).
    // A pinned certificate issued by a private CA is not self-signed, so OpenSSL would still look for
    // its issuer; the context's partial-chain trust lets the pinned certificate itself be the trust
    // anchor (the user agreed to exactly that certificate). Validation and the pin check stay on.
    options.secureContext = contextWithRoots(extraRoots);
  }
  // SNI only carries names; an IP literal must not be sent as servername.
  if (!isIP(settings.host)) options.servername = settings.host;
  return ok(options);
}

/**
 * SmtpSettings + the account's secret -> nodemailer SMTP transport options.
 * Fails (rather than silently downgrading) when the settings would send a password in the clear or
 * when a password is expected but missing.
 */
export function buildTransportOptions(
  settings: SmtpSettings,
  secret: SmtpSecret,
  options: TransportBuildOptions = {},
): Result<SMTPTransportOptions> {
  const tlsOptions = buildTlsOptions(settings);
  if (!tlsOptions.ok) return tlsOptions;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };

  const transport: SMTPTransportOptions = {
    host: settings.host,
    port: settings.port,
    // 'tls': encrypted from the first byte. 'starttls': requireTLS makes nodemailer fail instead of
    // continuing in plaintext when the upgrade is not offered or fails. 'none': never upgrade.
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    opportunisticTLS: false,
    tls: tlsOptions.value,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: timeouts.connectionMs,
    // Never let nodemailer log: its debug output contains message data and AUTH exchanges.
    logger: false,
    debug: false,
  };
  if (options.clientName) transport.name = options.clientName;

  if (options.withoutAuth || settings.authMethod === 'none') return ok(transport);

  if (settings.security === 'none' && !settings.allowUnencrypted) {
    return fail({
      code: 'AUTH_REQUIRES_ENCRYPTION',
      message: `Signing in to ${settings.host} would send your password unencrypted, so Mailroom did not connect.`,
      hint: 'Use SSL/TLS (port 465) or STARTTLS (port 587). Only if this server is on a network you trust, turn on "Allow unencrypted connection".',
    });
  }

  if (settings.authMethod === 'oauth2') {
    if (!secret.accessToken) return fail(missingSecret(settings, 'a sign-in token'));
    transport.auth = { type: 'OAuth2', user: settings.username, accessToken: secret.accessToken };
    return ok(transport);
  }

  if (!secret.password) return fail(missingSecret(settings, 'a password'));
  transport.auth = { type: 'login', user: settings.username, pass: secret.password };
  return ok(transport);
}

function missingSecret(settings: SmtpSettings, what: string) {
  return {
    code: 'PASSWORD_MISSING' as const,
    message: `The account ${settings.username || settings.host} needs ${what} to sign in, but none is saved.`,
    hint: 'Enter the password again in the account settings; it is kept in your system keychain.',
  };
}
