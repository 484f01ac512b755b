import { createHmac, randomBytes } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { Result } from '../../../shared/result';
import { buildTransportOptions, type SmtpSecret } from '../smtp/transport-options';

interface Pool {
  /** Fingerprint of settings + secret: a changed password or server gets a fresh pool. */
  key: string;
  transporter: Transporter<SMTPPool.SentMessageInfo>;
  idleTimer?: NodeJS.Timeout | undefined;
}

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
    };
    const transporter = createTransport(poolOptions);
    // An old pool (settings changed) finishes nothing new; close it once its sends are done.
    if (existing) this.closePool(existing);
    this.pools.set(accountId, { key, transporter });
    return { ok: true, value: transporter };
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
