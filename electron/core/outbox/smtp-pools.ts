import { createHmac, randomBytes } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { Result } from '../../../shared/result';
import { buildTransportOptions, type SmtpSecret } from '../smtp/transport-options';

/**
 * The line nodemailer's pool logs when a server refuses the next message on a connection it had kept
 * open (a 421 at MAIL FROM from a server that allows so many messages per connection, or a drop),
 * before a byte of the message was read: `#<connection>`, the message's Message-ID, the error's text.
 */
const REFUSED_ON_KEPT_CONNECTION = 'Connection #%s was closed by the server before message %s was sent: %s';

/** Refusals kept for the deliveries to take; more than this means they are not being taken. */
const MAX_KEPT_REFUSALS = 100;

/** nodemailer's text for each command's refusal, and the command (its errors say which one failed). */
const REFUSED_COMMANDS: readonly [prefix: string, command: string][] = [
  ['Mail command failed', 'MAIL FROM'],
  ['Recipient command failed', 'RCPT TO'],
  ["Can't send mail - all recipients were rejected", 'RCPT TO'],
  ['Data command failed', 'DATA'],
];

/**
 * The error the server's reply would have been on a fresh connection, from nodemailer's text of it
 * ("Mail command failed: 421 4.7.0 …"); undefined when the text carries no reply (a drop).
 */
function refusalError(text: string): Error | undefined {
  const reply = /: ([2-5]\d\d)([ -][\s\S]*)?$/.exec(text);
  if (!reply) return undefined;
  const response = text.slice(reply.index + 2);
  return Object.assign(new Error(text), {
    code: 'EENVELOPE',
    response,
    responseCode: Number(reply[1]),
    command: REFUSED_COMMANDS.find(([prefix]) => text.startsWith(prefix))?.[1],
  });
}

interface Pool {
  /** Fingerprint of settings + secret: a changed password or server gets a fresh pool. */
  key: string;
  transporter: Transporter<SMTPPool.SentMessageInfo>;
  idleTimer?: NodeJS.Timeout | undefined;
}

const ignore = (): void => undefined;

// Keyed with a per-process random key, so the fingerprint reveals nothing about the password.
const fingerprintKey = randomBytes(32);

function fingerprint(settings: SmtpSettings, secret: SmtpSecret): string {
  return createHmac('sha256', fingerprintKey)
    .update(JSON.stringify(settings))
    .update('\0')
    .update(secret.password ?? '')
    .update('\0')
    .update(secret.accessToken ?? '')
    .digest('hex');
}

/**
 * One pooled nodemailer transport per account (pool: true): queued messages share a few long-lived
 * connections instead of paying connect + TLS + AUTH each. The outbox decides retries itself, so the
 * pool never silently requeues (maxRequeues: 0): every attempt is visible in the entry.
 */
export class SmtpPools {
  private readonly pools = new Map<string, Pool>();
  /** A kept connection's refusal of a message, by the message's Message-ID (see explainFailure). */
  private readonly refusals = new Map<string, string>();
  /**
   * Hears the pool's one line that carries a refusal (see REFUSED_ON_KEPT_CONNECTION); everything
   * else the pool and its connections log is dropped, as with logger: false.
   */
  private readonly logger = {
    trace: ignore,
    debug: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    info: (_entry: unknown, message: unknown, ...args: unknown[]) => {
      if (message !== REFUSED_ON_KEPT_CONNECTION) return;
      const [, messageId, text] = args;
      if (typeof messageId !== 'string' || typeof text !== 'string') return;
      if (this.refusals.size >= MAX_KEPT_REFUSALS) this.refusals.clear();
      this.refusals.set(messageId, text);
    },
  };

  constructor(private readonly limits: () => { maxConnections: number; idleMs: number }) {}

  acquire(
    accountId: string,
    settings: SmtpSettings,
    secret: SmtpSecret,
  ): Result<Transporter<SMTPPool.SentMessageInfo>> {
    const key = fingerprint(settings, secret);
    const existing = this.pools.get(accountId);
    if (existing && existing.key === key) {
      clearTimeout(existing.idleTimer);
      existing.idleTimer = undefined;
      return { ok: true, value: existing.transporter };
    }
    const options = buildTransportOptions(settings, secret);
    if (!options.ok) return options;
    const { maxConnections } = this.limits();
    // With extra roots (a private CA, a pinned certificate) the options carry the account's TLS
    // context, built once (buildTlsOptions), so all of the pool's connections share it.
    const poolOptions: SMTPPool.Options & { maxRequeues: number } = {
      ...options.value,
      pool: true,
      maxConnections,
      maxMessages: 100,
      maxRequeues: 0,
      logger: this.logger,
    };
    const transporter = createTransport(poolOptions);
    // An old pool (settings changed) finishes nothing new; close it once its sends are done.
    if (existing) this.closePool(existing);
    this.pools.set(accountId, { key, transporter });
    return { ok: true, value: transporter };
  }

  /**
   * What to explain for a delivery that failed: the server's own reply when the pool's error hides
   * it. When a server refuses the next message on a connection it kept open, before a byte of it was
   * read, the pool closes the connection to queue the message on another; with maxRequeues 0 it then
   * fails it with its own "Reached maximum number of retries after connection was closed", and the
   * server's reply ("421 4.7.0 Too many messages") is only in the line it logged. Sent with its
   * Message-ID (sendMail's messageId), the delivery finds that line's reply here.
   */
  explainFailure(messageId: string, error: unknown): unknown {
    const text = this.refusals.get(messageId);
    if (text === undefined) return error;
    this.refusals.delete(messageId);
    if ((error as { code?: unknown } | null)?.code !== 'ECONNECTION') return error;
    return refusalError(text) ?? error;
  }

  /** Nothing more to send for this account right now: close its connections after the idle time. */
  release(accountId: string): void {
    const pool = this.pools.get(accountId);
    if (!pool || pool.idleTimer) return;
    pool.idleTimer = setTimeout(() => {
      if (this.pools.get(accountId) === pool) this.pools.delete(accountId);
      this.closePool(pool);
    }, this.limits().idleMs);
    pool.idleTimer.unref();
  }

  /** `force`: also cut connections in the middle of a delivery (their messages fail at once). */
  private closePool(pool: Pool, force = false): void {
    clearTimeout(pool.idleTimer);
    // nodemailer 10's pool takes { force }; its published types predate it.
    (pool.transporter.close as (options?: { force?: boolean }) => void).call(pool.transporter, { force });
  }

  closeAll(options: { force?: boolean } = {}): void {
    for (const pool of this.pools.values()) this.closePool(pool, options.force);
    this.pools.clear();
  }
}
