import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { OutboxSettings, RecipientOutcome } from '../../../shared/domain/outbox';
import type { MailroomError } from '../../../shared/result';
import { classifySmtpError, sendErrorContext } from '../smtp/smtp-error-classify';
import { readMessageChunks } from './message-file';
import { CANCELLED } from './outbox-entry-builders';
import type { OutboxEntries } from './outbox-entries';
import { diskFull, isDiskFull, messageFileDamaged } from './outbox-errors';
import type { OutboxStore, StoredEntry } from './outbox-store';
import type { DeliveryPacing, OutboxAccounts } from './outbox-types';
import { backoffMs, isTemporary } from './retry-policy';
import type { SmtpPools } from './smtp-pools';
import { iso, time } from './timestamps';

const PROGRESS_INTERVAL_MS = 200;

/** The stored message turned out, while it was read for sending, not to be the one written. */
class MessageChangedWhileSending extends Error {
  constructor(readonly found: { size: number; sha256: string }) {
    super('The stored message changed after it was written');
  }
}

/** The check's failure, however nodemailer passed on the stream's error. */
function changedWhileSending(error: unknown): MessageChangedWhileSending | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e instanceof MessageChangedWhileSending) return e;
  }
  return undefined;
}
const MAX_TIMER_MS = 2 ** 31 - 1;

type Outcome =
  { ok: true; response: string; recipients: RecipientOutcome[] } | { ok: false; error: MailroomError };

/**
 * Marks one delivery 'sending' on disk the first time the message's bytes are asked for. nodemailer's
 * pool asks for them only once a connection takes the message (and sends them only after DATA), so
 * the messages durably 'sending' (possibly delivered if we die) are the ones on a connection, not all
 * those handed to the pool. `recorded` is what must be on disk before the last byte goes out (before
 * it the server cannot accept the message, so a crash cannot have delivered it).
 */
class SendingMark {
  private marking: Promise<StoredEntry> | undefined;
  entry: StoredEntry | undefined;
  error: unknown;

  constructor(
    private readonly write: () => Promise<StoredEntry>,
    private readonly recorded: () => Promise<unknown>,
  ) {}

  /** Resolves once this delivery is durably 'sending' and earlier outcomes on the account are recorded. */
  ready(): Promise<unknown> {
    this.marking ??= this.write().then(
      (entry) => (this.entry = entry),
      (error: unknown) => {
        this.error = error;
        throw error;
      },
    );
    return Promise.all([this.marking, this.recorded()]);
  }

  /** Waits for a mark already under way, so an outcome is never written before its 'sending'. */
  async settled(): Promise<void> {
    await this.marking?.catch(() => undefined);
  }
}

/** What delivery needs from the Outbox that owns it. */
export interface DeliveryHost {
  readonly entries: OutboxEntries;
  readonly store: OutboxStore;
  readonly accounts: OutboxAccounts;
  config(): OutboxSettings;
  log(message: string): void;
  /** This process holds the delivery lock, delivers at all, and is not closing. */
  mayDeliver(): boolean;
  closed(): boolean;
  /** Holds entries to an account's sending limits (mail merge). */
  readonly pacing?: DeliveryPacing | undefined;
}

/**
 * Scheduling and delivery attempts: which queued entries start now (within the per-account limit),
 * one attempt over SMTP streaming the stored file, and the state the outcome leads to. The order on
 * disk is the delivery guarantee (see README.md): 'sending' is durable before the last byte, 'sent'
 * before the message file goes.
 */
export class OutboxDelivery {
  private readonly entries: OutboxEntries;
  private readonly inFlight = new Map<string, number>();
  private readonly deliveries = new Set<Promise<void>>();
  /** Per account, outcome writes under way: a 250 on disk before the next message's last byte. */
  private readonly recording = new Map<string, Set<Promise<unknown>>>();
  /**
   * Made for the first delivery: a process that only reads or queues (`outbox list`, every command
   * that does not send) never loads nodemailer's transports.
   */
  private pools: SmtpPools | undefined;
  private poolsLoading: Promise<SmtpPools> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /**
   * When an entry is due, as a number, per entry object (update() replaces the object, so a changed
   * hold or retry time is never read stale): parsing the dates at every pass was most of its cost.
   */
  private readonly readyAt = new WeakMap<StoredEntry, number>();

  constructor(private readonly host: DeliveryHost) {
    this.entries = host.entries;
  }

  private loadPools(): Promise<SmtpPools> {
    this.poolsLoading ??= import('./smtp-pools').then(({ SmtpPools }) => {
      this.pools = new SmtpPools(() => ({
        maxConnections: this.host.config().maxConnectionsPerAccount,
        idleMs: this.host.config().poolIdleMs,
      }));
      return this.pools;
    });
    return this.poolsLoading;
  }

  /** No further wake-ups; deliveries in flight go on until closeConnections(). */
  stopTimer(): void {
    clearTimeout(this.timer);
  }

  /** Closes open connections, also those mid-delivery: an interrupted message goes back to the queue. */
  closeConnections(): void {
    this.pools?.closeAll({ force: true });
  }

  /**
   * Settles once every delivery started so far has recorded its outcome (or given up trying), or
   * after `withinMs`, whichever comes first.
   */
  async settled(withinMs = Infinity): Promise<void> {
    const all = Promise.allSettled([...this.deliveries]);
    if (withinMs === Infinity) {
      await all;
      await this.entries.recordHeld();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((done) => {
      timer = setTimeout(done, withinMs);
    });
    await Promise.race([all, bound]);
    clearTimeout(timer);
    // One more try at writing outcomes a full disk refused, before the caller (close) lets go.
    await Promise.race([
      this.entries.recordHeld(),
      new Promise((done) => setTimeout(done, withinMs).unref()),
    ]);
  }

  private readyOf(entry: StoredEntry): number {
    let ready = this.readyAt.get(entry);
    if (ready === undefined) {
      ready = Math.max(time(entry.holdUntil), time(entry.nextAttemptAt));
      this.readyAt.set(entry, ready);
    }
    return ready;
  }

  /** Starts every due delivery the per-account connection limit allows, and sets the next wake-up. */
  schedule(): void {
    if (!this.host.mayDeliver()) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const { maxConnectionsPerAccount, maxInFlightPerAccount } = this.host.config();
    const limit = Math.max(maxConnectionsPerAccount, maxInFlightPerAccount);
    let wake = Infinity;
    // Called after every delivery and every enqueue, with possibly thousands queued: each account's
    // pending entries are walked oldest first and only until its free slots are taken, and an
    // account with no free slot is not walked at all (one of its deliveries ends, and that
    // schedules again, and sets the wake-up, before it could start one). Dates are numbers computed
    // once per entry.
    for (const [accountId, pending] of this.entries.pendingQueues()) {
      let free = limit - (this.inFlight.get(accountId) ?? 0);
      if (free <= 0) continue;
      for (const entry of pending) {
        if (entry.state !== 'queued') continue;
        const ready = this.readyOf(entry);
        if (ready > now) {
          wake = Math.min(wake, ready);
          continue;
        }
        // Held to the account's sending limits (a merge job): asked only of an entry that would
        // start now, as asking counts the start. One it holds does not hide the ones after it.
        if (entry.merge) {
          const paced = this.host.pacing?.delayFor(entry) ?? 0;
          if (paced > 0) {
            if (paced !== Infinity) wake = Math.min(wake, now + paced);
            continue;
          }
        }
        this.start(entry);
        if (--free <= 0) break;
      }
    }
    if (wake !== Infinity) {
      this.timer = setTimeout(() => this.schedule(), Math.min(MAX_TIMER_MS, Math.max(0, wake - now)));
      this.timer.unref();
    }
  }

  private start(entry: StoredEntry): void {
    this.inFlight.set(entry.accountId, (this.inFlight.get(entry.accountId) ?? 0) + 1);
    // Claimed synchronously: the next schedule() must not start it twice.
    entry.state = 'sending';
    const delivery = this.deliver(entry.id).finally(() => {
      this.deliveries.delete(delivery);
      const left = (this.inFlight.get(entry.accountId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(entry.accountId, left);
      else {
        this.inFlight.delete(entry.accountId);
        this.pools?.release(entry.accountId);
      }
      this.schedule();
    });
    this.deliveries.add(delivery);
  }

  private async deliver(id: string): Promise<void> {
    const claimed = this.entries.stored(id);
    if (!claimed) return;
    // Claimed in memory only: on disk it is still 'queued' until its bytes are asked for.
    const entry: StoredEntry = { ...claimed, state: 'queued' };
    const attempt: StoredEntry = {
      ...entry,
      attempts: entry.attempts + 1,
      lastAttemptAt: iso(Date.now()),
    };
    delete attempt.nextAttemptAt;
    const damaged = await this.damage(entry);
    if (damaged) {
      await this.finishOrLog(attempt, { ok: false, error: damaged });
      return;
    }
    const mark = new SendingMark(
      // Durably 'sending' before the last byte: a crash after it means "maybe delivered".
      () => this.entries.update(attempt, { state: 'sending' }),
      () => Promise.allSettled([...(this.recording.get(entry.accountId) ?? [])]),
    );
    let outcome = await this.attempt(attempt, mark);
    await mark.settled();
    if (mark.error !== undefined) {
      this.host.log(`outbox: could not mark a message as sending: ${String(mark.error)}`);
      outcome = {
        ok: false,
        error: isDiskFull(mark.error)
          ? diskFull(
              'Mailroom could not note that it was starting to send this message, so it did not send it',
            )
          : {
              code: 'INTERNAL',
              message: `Mailroom could not update the outbox before sending: ${String(mark.error)}. The message was not sent.`,
              hint: 'It is tried again shortly. If it keeps happening, restart Mailroom.',
            },
      };
    }
    // Whatever went wrong (a changed password, a locked keychain), the next try reads afresh.
    if (!outcome.ok) this.host.accounts.forgetCredentials?.(entry.accountId);
    const finishing = this.finishOrLog(mark.entry ?? attempt, outcome, mark.error !== undefined);
    let pending = this.recording.get(entry.accountId);
    if (!pending) this.recording.set(entry.accountId, (pending = new Set()));
    pending.add(finishing);
    try {
      await finishing;
    } finally {
      pending.delete(finishing);
      if (pending.size === 0 && this.recording.get(entry.accountId) === pending)
        this.recording.delete(entry.accountId);
      this.entries.bytesSent.delete(id);
    }
  }

  /**
   * Whether the stored file is still there and of the size written at enqueue, checked before
   * connecting. Its content is checked against the SHA-256 recorded at enqueue as it is sent (see
   * attempt): reading the file once instead of twice.
   */
  private async damage(entry: StoredEntry): Promise<MailroomError | undefined> {
    try {
      const { size } = await stat(this.host.store.messagePath(entry.id));
      return size === entry.size ? undefined : messageFileDamaged(entry, { size, sha256: '' });
    } catch {
      return messageFileDamaged(entry, undefined);
    }
  }

  private async finishOrLog(entry: StoredEntry, outcome: Outcome, retrySoon = false): Promise<void> {
    try {
      await this.finish(entry, outcome, retrySoon);
    } catch (error) {
      this.host.log(`outbox: could not record the outcome of a delivery: ${String(error)}`);
    }
  }

  /** Whether the account has a message in its sent history. */
  private hasSentBefore(accountId: string): boolean {
    for (const e of this.entries.all()) if (e.accountId === accountId && e.state === 'sent') return true;
    return false;
  }

  private async attempt(
    entry: StoredEntry,
    mark: SendingMark,
    refreshedAccessToken = false,
  ): Promise<Outcome> {
    const credentials = await this.host.accounts.credentialsFor(entry.accountId, entry.identityId, {
      refreshAccessToken: refreshedAccessToken,
    });
    if (!credentials.ok) return credentials;
    const { settings, password, accessToken } = credentials.value;
    const pools = await this.loadPools();
    const transporter = pools.acquire(entry.accountId, settings, { password, accessToken });
    if (!transporter.ok) return transporter;
    // Whether these settings have worked before changes what a refused connection means.
    const context = sendErrorContext(settings, this.hasSentBefore(entry.accountId));

    // The stored file is the message: stream it, counting bytes for the progress bar. Nothing is
    // read before nodemailer asks (no pipe in between, which would read ahead). The server can
    // accept a message only once it has its last byte (the end-of-data dot follows it), so only the
    // last chunk waits for the durable 'sending' mark and the 250 before it (see SendingMark): the
    // envelope and the body go out while those writes run, and the connection does not idle.
    const path = this.host.store.messagePath(entry.id);
    let lastReport = 0;
    const progress = (sent: number) => {
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      this.entries.bytesSent.set(entry.id, sent);
      const current = this.entries.stored(entry.id);
      if (current) this.entries.emit(current);
    };
    // The content is hashed as it is read and compared with the SHA-256 recorded at enqueue before
    // the last chunk goes: a file changed since (same size, other bytes) fails there, so the server
    // never gets the end of the message and accepts nothing, and the file is read once, not twice.
    const expected = { size: entry.size, sha256: entry.sha256 };
    async function* bytes(): AsyncGenerator<Buffer> {
      const recorded = mark.ready();
      // Awaited below; until then a failure must not count as unhandled.
      recorded.catch(() => undefined);
      const hash = expected.sha256 === undefined ? undefined : createHash('sha256');
      let read = 0;
      let sent = 0;
      let last: Buffer | undefined;
      for await (const chunk of readMessageChunks(path)) {
        // Hashed now: the buffer is refilled later (the read-ahead ring), but update() copies.
        hash?.update(chunk);
        read += chunk.length;
        if (last) {
          sent += last.length;
          progress(sent);
          yield last;
        }
        last = chunk;
      }
      const found = { size: read, sha256: hash?.digest('hex') ?? '' };
      if (read !== expected.size || (hash && found.sha256 !== expected.sha256)) {
        throw new MessageChangedWhileSending(found);
      }
      await recorded;
      if (last) {
        sent += last.length;
        progress(sent);
        yield last;
      }
    }
    const file = Readable.from(bytes(), { objectMode: false });
    try {
      const info = await transporter.value.sendMail({
        envelope: entry.envelope,
        raw: file,
        // The file's own Message-ID: what the pool logs the message by (see explainFailure).
        messageId: entry.messageId,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { ok: true, response: info.response, recipients: recipientOutcomes(entry.envelope.to, info) };
    } catch (error) {
      const changed = changedWhileSending(error);
      if (changed) return { ok: false, error: messageFileDamaged(entry, changed.found) };
      const classified = classifySmtpError(pools.explainFailure(entry.messageId, error), context);
      // XOAUTH2 refused (535, or 334 with an error JSON): the token was revoked or expired early.
      // Once more with a freshly refreshed token; a revoked grant then fails as OAUTH_SIGN_IN_REQUIRED.
      if (classified.code === 'AUTH_FAILED' && settings.authMethod === 'oauth2' && !refreshedAccessToken) {
        return this.attempt(entry, mark, true);
      }
      const recipients = recipientOutcomes(entry.envelope.to, error);
      return {
        ok: false,
        error: recipients.some((r) => !r.accepted)
          ? { ...classified, details: { ...classified.details, recipients } }
          : classified,
      };
    } finally {
      file.destroy();
    }
  }

  /**
   * Records the outcome. A write the disk refuses does not lose it: the state is kept in memory and
   * written again until it lands (updateOrHold), so a 250 is never followed by a second send from
   * this process; only a restart before it lands sends it again (flagged resumedAfterCrash).
   * `retrySoon`: the attempt never reached the server (the disk refused 'sending'), retry on backoff.
   */
  private async finish(entry: StoredEntry, outcome: Outcome, retrySoon = false): Promise<void> {
    const now = Date.now();
    if (outcome.ok) {
      const dropFile = !this.host.config().keepSentMessages;
      // 'sent' is on disk before the file goes: a crash in between must not leave a 'sending'
      // entry without its message.
      const { entry: sent, recorded } = await this.entries.updateOrHold(
        entry,
        {
          state: 'sent',
          sentAt: iso(now),
          response: outcome.response,
          recipients: outcome.recipients,
          lastError: undefined,
          hasMessageFile: !dropFile,
        },
        true,
      );
      // While the disk still says 'sending', the message file must stay (a restart sends it again);
      // prune removes it once the 'sent' state is written.
      if (dropFile && recorded) await this.host.store.removeMessage(sent.id);
      else if (dropFile) sent.hasMessageFile = true;
      this.entries.emit(sent);
      return;
    }
    if (this.host.pacing?.withdrawn(entry)) {
      // Cancelled while the server had it, and not delivered: it goes no further.
      await this.entries.updateOrHold(entry, { ...CANCELLED, lastError: outcome.error });
      return;
    }
    const config = this.host.config();
    const expired = now - time(entry.queuedSince) >= config.queueLifetimeMs;
    if (!retrySoon && !this.host.closed() && this.host.pacing?.requeueAfter(entry, outcome.error)) {
      // "Too many messages": the pacing slowed the job and holds it; it is not a failure.
      await this.recordUndelivered(entry, {
        state: 'queued',
        lastError: outcome.error,
        nextAttemptAt: iso(now),
      });
      return;
    }
    if (retrySoon || (isTemporary(outcome.error) && !expired && !this.closedDuring(outcome.error))) {
      const delay = backoffMs(entry.attempts, config.retryBaseMs, config.retryCapMs);
      await this.recordUndelivered(entry, {
        state: 'queued',
        lastError: outcome.error,
        nextAttemptAt: iso(now + delay),
      });
      return;
    }
    if (this.closedDuring(outcome.error)) {
      // The app is quitting: back to the queue, tried again at the next start.
      await this.recordUndelivered(entry, {
        state: 'queued',
        lastError: outcome.error,
        nextAttemptAt: iso(now),
      });
      return;
    }
    const error: MailroomError = expired
      ? {
          ...outcome.error,
          message: `Mailroom gave up after trying for ${Math.round(config.queueLifetimeMs / 3_600_000)} hours. Last problem: ${outcome.error.message}`,
        }
      : outcome.error;
    await this.recordUndelivered(entry, { state: 'failed', lastError: error });
  }

  /**
   * Writes the outcome of an attempt that left the message unsent (queued again, or failed). Its job
   * can be cancelled while this is written: the cancel then found the entry still 'sending' and left
   * it to this outcome, which was decided before the cancel. So it is looked at again once written.
   */
  private async recordUndelivered(entry: StoredEntry, patch: Partial<StoredEntry>): Promise<void> {
    const { entry: recorded } = await this.entries.updateOrHold(entry, patch);
    if (this.host.pacing?.withdrawn(recorded)) {
      await this.entries.updateOrHold(recorded, CANCELLED);
    }
  }

  private closedDuring(_error: MailroomError): boolean {
    return this.host.closed();
  }
}

/** Per-recipient outcome from nodemailer's accepted / rejected / rejectedErrors (on info or on the error). */
function recipientOutcomes(all: string[], source: unknown): RecipientOutcome[] {
  const s = (source ?? {}) as { rejected?: unknown; rejectedErrors?: unknown };
  const rejected = new Map<string, string | undefined>();
  if (Array.isArray(s.rejectedErrors)) {
    for (const e of s.rejectedErrors as { recipient?: unknown; response?: unknown }[]) {
      if (typeof e.recipient === 'string')
        rejected.set(e.recipient, typeof e.response === 'string' ? e.response : undefined);
    }
  }
  if (Array.isArray(s.rejected)) {
    for (const r of s.rejected) {
      const address = typeof r === 'string' ? r : String((r as { address?: unknown }).address ?? r);
      if (!rejected.has(address)) rejected.set(address, undefined);
    }
  }
  return all.map((address) => {
    if (!rejected.has(address)) return { address, accepted: true };
    const reply = rejected.get(address);
    return reply ? { address, accepted: false, reply } : { address, accepted: false };
  });
}
