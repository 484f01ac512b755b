import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import {
  OutboxSettingsSchema,
  PENDING_STATES,
  type ComposeFields,
  type OutboxEntry,
  type OutboxSettings,
  type RecipientOutcome,
} from '../../../shared/domain/outbox';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { fail, ok, type MailroomError, type Result } from '../../../shared/result';
import { classifySmtpError, sendErrorContext } from '../smtp/smtp-error-classify';
import { acquireDeliveryLock } from './delivery-lock';
import {
  copyMessageWithNewIdentity,
  newMessageId,
  writeMessageFile,
  type SenderIdentity,
} from './message-file';
import { OutboxStore, type StoredEntry } from './outbox-store';
import { backoffMs, isTemporary } from './retry-policy';
import { SmtpPools } from './smtp-pools';

/** Where the outbox gets an account's identity (at enqueue) and its settings + secret (at delivery). */
export interface OutboxAccounts {
  identityFor(accountId: string, identityId?: string): Result<SenderIdentity>;
  credentialsFor(
    accountId: string,
    identityId?: string,
    /** OAuth2 accounts: the server refused the access token, so get a new one (issue 11). */
    options?: { refreshAccessToken?: boolean },
  ): Promise<
    Result<{ settings: SmtpSettings; password?: string | undefined; accessToken?: string | undefined }>
  >;
  /**
   * An attempt failed or the user asked to try again (a password may have been fixed): whatever
   * credentials the accounts side reuses for this account must be read afresh next time.
   */
  forgetCredentials?(accountId: string): void;
}

export interface OutboxOptions {
  /** <profile>/outbox */
  dir: string;
  accounts: OutboxAccounts;
  /**
   * Called on every use, so a changed preference applies without a restart. Returning the same object
   * again (a host caching the settings file until it changes) means "unchanged": it is parsed once.
   */
  settings: () => Partial<OutboxSettings> | undefined;
  log?: (message: string) => void;
  /** Rescan for entries other processes queued (they cannot deliver while we hold the lock). */
  rescanMs?: number;
  /**
   * false: this process reads, queues and (holding the lock) changes entries, but never starts a
   * delivery (e.g. `mailroom send --queue-only`, `outbox cancel`); the app or a delivering command
   * sends them later.
   */
  deliver?: boolean;
}

export interface EnqueueRequest extends ComposeFields {
  displayNames?: Record<string, string> | undefined;
  /** Send later: hold until this time. */
  sendAt?: string | undefined;
  /** Overrides the profile's undo delay for this message (0: no undo window). */
  undoDelayMs?: number | undefined;
  /** Called with the new entry before anyone hears of it, so a caller can follow it from the start. */
  onQueued?: ((entry: OutboxEntry) => void) | undefined;
}

export type OutboxListener = (change: { entry?: OutboxEntry; removedId?: string }) => void;

const PROGRESS_INTERVAL_MS = 200;
const MAX_TIMER_MS = 2 ** 31 - 1;

const iso = (ms: number) => new Date(ms).toISOString();
const time = (value: string | undefined) => (value ? Date.parse(value) : 0);

function wrongState(entry: StoredEntry, action: string): MailroomError {
  const why: Record<string, string> = {
    sending: 'it is being sent right now',
    sent: 'it was already sent',
    cancelled: 'it was cancelled',
    failed: 'it failed',
    queued: 'it is still waiting to be sent',
  };
  return {
    code: 'OUTBOX_WRONG_STATE',
    message: `“${entry.subject || '(no subject)'}” cannot be ${action}: ${why[entry.state]}.`,
    hint:
      entry.state === 'sending'
        ? 'Wait until the attempt finishes; if it fails you can cancel or edit it then.'
        : 'Refresh the outbox to see its current state.',
  };
}

const notFound = (id: string): MailroomError => ({
  code: 'OUTBOX_ENTRY_NOT_FOUND',
  message: `There is no message ${id} in the outbox or sent history.`,
  hint: 'It may have been removed after the retention period. Refresh the list.',
});

const notOwner: MailroomError = {
  code: 'OUTBOX_WRONG_STATE',
  message:
    'Another Mailroom window or command is delivering this profile’s outbox, so this one cannot change it.',
  hint: 'Use the Mailroom app (or close it and try again here).',
};

/**
 * Store-and-forward delivery. A message is accepted only once its RFC 5322 file and its entry are on
 * disk (fsynced); from then on it is delivered, retried, or marked failed, but never dropped. An
 * entry is marked 'sending' (durably) before the first byte goes to the server and 'sent' right after
 * the server's 250, so after a crash in between the message is sent again with the same Message-ID:
 * delivery is at-least-once, and a duplicate can only be the message that was in flight.
 */
export class Outbox {
  private readonly store: OutboxStore;
  private readonly entries = new Map<string, StoredEntry>();
  private readonly inFlight = new Map<string, number>();
  private readonly bytesSent = new Map<string, number>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly listeners = new Set<OutboxListener>();
  private readonly pools: SmtpPools;
  private readonly log: (message: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private owner = false;
  private releaseLock: () => Promise<void> = async () => undefined;
  private closed = false;
  /** The last settings object seen and what it parsed to (see OutboxOptions.settings). */
  private parsedConfig: { raw: unknown; config: OutboxSettings } | undefined;
  /**
   * When an entry is due and when it was created, as numbers, per entry object (update() replaces the
   * object, so a changed hold or retry time is never read stale): schedule() needs both for every
   * queued entry on every pass, and parsing the dates each time was most of its cost.
   */
  private readonly times = new WeakMap<StoredEntry, { ready: number; created: number }>();
  readonly ready: Promise<void>;

  constructor(private readonly options: OutboxOptions) {
    this.store = new OutboxStore(options.dir);
    this.log = options.log ?? ((m) => console.error(m));
    this.pools = new SmtpPools(() => ({
      maxConnections: this.config().maxConnectionsPerAccount,
      idleMs: this.config().poolIdleMs,
    }));
    this.ready = this.start();
    // Surface a failed start through the methods that await it, not as an unhandled rejection.
    this.ready.catch((error: unknown) => this.log(`outbox: could not start: ${String(error)}`));
  }

  config(): OutboxSettings {
    const raw = this.options.settings();
    if (raw !== undefined && this.parsedConfig?.raw === raw) return this.parsedConfig.config;
    const parsed = OutboxSettingsSchema.safeParse(raw ?? {});
    const config = parsed.success ? parsed.data : OutboxSettingsSchema.parse({});
    this.parsedConfig = { raw, config };
    return config;
  }

  /** True when this process delivers (holds the profile's delivery lock). */
  get delivering(): boolean {
    return this.owner;
  }

  get directory(): string {
    return this.options.dir;
  }

  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async start(): Promise<void> {
    await this.store.ensure();
    const lock = await acquireDeliveryLock(this.options.dir);
    this.owner = lock.owned;
    this.releaseLock = lock.release;
    for (const entry of await this.store.loadAll(this.log)) this.entries.set(entry.id, entry);
    if (this.owner) {
      await this.store.sweep(Date.now());
      for (const entry of this.entries.values()) {
        if (entry.state !== 'sending') continue;
        // We crashed (or were killed) mid-delivery. The server may or may not have the message:
        // send it again, same bytes, same Message-ID, so a duplicate is recognisable as one.
        await this.update(entry, {
          state: 'queued',
          resumedAfterCrash: true,
          nextAttemptAt: iso(Date.now()),
        });
      }
      await this.prune();
    }
    const rescanMs = this.options.rescanMs ?? 30_000;
    this.rescanTimer = setInterval(() => void this.rescan(), rescanMs);
    this.rescanTimer.unref();
    this.schedule();
  }

  // ---------------------------------------------------------------- reading

  private publicView(entry: StoredEntry): OutboxEntry {
    const { version: _v, identityId: _i, envelope: _e, draft: _d, queuedSince: _q, ...rest } = entry;
    const sent = this.bytesSent.get(entry.id);
    return sent === undefined ? rest : { ...rest, bytesSent: sent };
  }

  async list(view: 'outbox' | 'sent'): Promise<OutboxEntry[]> {
    await this.ready;
    const all = [...this.entries.values()];
    if (view === 'sent') {
      return all
        .filter((e) => e.state === 'sent')
        .sort((a, b) => time(b.sentAt) - time(a.sentAt))
        .map((e) => this.publicView(e));
    }
    return all
      .filter((e) => e.state !== 'sent')
      .sort((a, b) => time(a.createdAt) - time(b.createdAt))
      .map((e) => this.publicView(e));
  }

  get(id: string): OutboxEntry | undefined {
    const entry = this.entries.get(id);
    return entry && this.publicView(entry);
  }

  pendingCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (PENDING_STATES.includes(entry.state)) count++;
    return count;
  }

  // ---------------------------------------------------------------- changes

  private emit(entry: StoredEntry | undefined, removedId?: string): void {
    const change = entry ? { entry: this.publicView(entry) } : { removedId: removedId ?? '' };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log(`outbox: listener failed: ${String(error)}`);
      }
    }
  }

  /** Applies `patch`, writes the entry durably, then (unless `quiet`) tells listeners. */
  private async update(entry: StoredEntry, patch: Partial<StoredEntry>, quiet = false): Promise<StoredEntry> {
    const next: StoredEntry = { ...entry, ...patch, updatedAt: iso(Date.now()) };
    for (const key of Object.keys(patch) as (keyof StoredEntry)[]) {
      if (patch[key] === undefined) delete next[key];
    }
    await this.store.write(next);
    this.entries.set(next.id, next);
    if (!quiet) this.emit(next);
    return next;
  }

  /**
   * Builds the message, stores it, and queues it. Resolves once the message is safe on disk: from
   * here on it is never lost.
   */
  async enqueue(request: EnqueueRequest): Promise<Result<OutboxEntry>> {
    await this.ready;
    const identity = this.options.accounts.identityFor(request.accountId, request.identityId);
    if (!identity.ok) return identity;
    const now = Date.now();
    const id = randomUUID();
    const fields: ComposeFields = {
      accountId: request.accountId,
      ...(request.identityId ? { identityId: request.identityId } : {}),
      to: request.to,
      cc: request.cc,
      bcc: request.bcc,
      subject: request.subject,
      text: request.text,
      ...(request.html !== undefined ? { html: request.html } : {}),
      attachments: request.attachments,
      ...(request.displayNames && Object.keys(request.displayNames).length
        ? { displayNames: request.displayNames }
        : {}),
    };
    let built;
    try {
      built = await writeMessageFile(this.store.messagePath(id), fields, identity.value, {
        displayNames: request.displayNames,
        date: new Date(now),
      });
    } catch (error) {
      return fail(buildError(error));
    }
    const undoDelay = request.undoDelayMs ?? this.config().undoDelayMs;
    const sendAt = request.sendAt ? Date.parse(request.sendAt) : undefined;
    const hold =
      sendAt !== undefined && sendAt > now
        ? { holdUntil: iso(sendAt), holdReason: 'scheduled' as const }
        : undoDelay > 0
          ? { holdUntil: iso(now + undoDelay), holdReason: 'undo' as const }
          : {};
    const entry: StoredEntry = {
      version: 1,
      id,
      accountId: request.accountId,
      ...(request.identityId ? { identityId: request.identityId } : {}),
      messageId: built.messageId,
      state: 'queued',
      from: identity.value.name
        ? `${identity.value.name} <${identity.value.address}>`
        : identity.value.address,
      to: request.to,
      cc: request.cc,
      bcc: request.bcc,
      subject: request.subject,
      size: built.size,
      createdAt: iso(now),
      updatedAt: iso(now),
      ...hold,
      attempts: 0,
      hasMessageFile: true,
      envelope: built.envelope,
      draft: fields,
      queuedSince: hold.holdUntil ?? iso(now),
    };
    await this.store.write(entry);
    this.entries.set(id, entry);
    request.onQueued?.(this.publicView(entry));
    this.emit(entry);
    this.schedule();
    return ok(this.publicView(entry));
  }

  private async mutable(id: string): Promise<Result<StoredEntry>> {
    await this.ready;
    const entry = this.entries.get(id);
    if (!entry) return fail(notFound(id));
    if (!this.owner) return fail(notOwner);
    return ok(entry);
  }

  /** Send now: a failed or cancelled message goes back to the queue; a held or waiting one skips its wait. */
  async retry(id: string): Promise<Result<OutboxEntry>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.state === 'sending' || entry.state === 'sent')
      return fail(wrongState(entry, 'sent again this way'));
    if (!entry.hasMessageFile) return fail(wrongState(entry, 'sent again'));
    this.options.accounts.forgetCredentials?.(entry.accountId);
    const now = iso(Date.now());
    const next = await this.update(entry, {
      state: 'queued',
      holdUntil: undefined,
      holdReason: undefined,
      nextAttemptAt: now,
      queuedSince: entry.state === 'queued' ? entry.queuedSince : now,
    });
    this.schedule();
    return ok(this.publicView(next));
  }

  /** Cancel (also "undo send" within the delay): only while the message is not being sent. */
  async cancel(id: string): Promise<Result<OutboxEntry>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.state !== 'queued' && entry.state !== 'failed') return fail(wrongState(entry, 'cancelled'));
    const next = await this.update(entry, {
      state: 'cancelled',
      nextAttemptAt: undefined,
      holdUntil: undefined,
      holdReason: undefined,
    });
    return ok(this.publicView(next));
  }

  /**
   * The fields as typed, for compose to reopen. A message still waiting is cancelled first, so the
   * edited copy is the only one that goes out; a sent one is left as it is ("edit as new").
   */
  async edit(id: string): Promise<Result<ComposeFields>> {
    await this.ready;
    const entry = this.entries.get(id);
    if (!entry) return fail(notFound(id));
    if (entry.state === 'queued' || entry.state === 'failed') {
      const cancelled = await this.cancel(id);
      if (!cancelled.ok) return cancelled;
    } else if (entry.state === 'sending') {
      return fail(wrongState(entry, 'edited'));
    }
    return ok(entry.draft);
  }

  /** Sends a stored message again as a new message (new Message-ID and Date, same content). */
  async resend(id: string): Promise<Result<OutboxEntry>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const source = found.value;
    if (!source.hasMessageFile) {
      return fail({
        code: 'FILE_NOT_FOUND',
        message: `The stored copy of “${source.subject || '(no subject)'}” was removed after the retention period.`,
        hint: 'Use Edit to open it in compose and send it from there.',
      });
    }
    const now = Date.now();
    const newId = randomUUID();
    const messageId = newMessageId(source.envelope.from);
    let size: number;
    try {
      size = await copyMessageWithNewIdentity(
        this.store.messagePath(id),
        this.store.messagePath(newId),
        messageId,
        new Date(now),
      );
    } catch (error) {
      return fail(buildError(error));
    }
    const {
      lastError: _l,
      response: _r,
      recipients: _rc,
      sentAt: _s,
      lastAttemptAt: _la,
      resumedAfterCrash: _c,
      nextAttemptAt: _n,
      holdUntil: _h,
      holdReason: _hr,
      ...kept
    } = source;
    const entry: StoredEntry = {
      ...kept,
      id: newId,
      messageId,
      state: 'queued',
      size,
      attempts: 0,
      createdAt: iso(now),
      updatedAt: iso(now),
      queuedSince: iso(now),
      hasMessageFile: true,
    };
    await this.store.write(entry);
    this.entries.set(newId, entry);
    this.emit(entry);
    this.schedule();
    return ok(this.publicView(entry));
  }

  /** Deletes a finished entry (sent, failed or cancelled) and its message file. */
  async remove(id: string): Promise<Result<void>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.state === 'queued' || entry.state === 'sending') return fail(wrongState(entry, 'removed'));
    await this.store.remove(id);
    this.entries.delete(id);
    this.emit(undefined, id);
    return ok(undefined);
  }

  /** The stored .eml, for the host to open or copy. */
  async messageFile(id: string): Promise<Result<{ path: string; fileName: string; size: number }>> {
    await this.ready;
    const entry = this.entries.get(id);
    if (!entry) return fail(notFound(id));
    const path = this.store.messagePath(id);
    const info = entry.hasMessageFile ? await stat(path).catch(() => undefined) : undefined;
    if (!info) {
      return fail({
        code: 'FILE_NOT_FOUND',
        message: `The stored copy of “${entry.subject || '(no subject)'}” is no longer kept.`,
        hint: 'Sent messages are kept for the retention period set in the outbox preferences.',
      });
    }
    // Characters no file system accepts in a name (control characters go too).
    const printable = [...(entry.subject || 'message')].map((c) => (c.charCodeAt(0) < 32 ? ' ' : c)).join('');
    const safe =
      printable
        .replace(/[\\/:*?"<>|]+/g, ' ')
        .trim()
        .slice(0, 80) || 'message';
    return ok({ path, fileName: `${safe}.eml`, size: info.size });
  }

  /**
   * The network is back or the machine woke: try every message waiting on a retry now (undo and
   * send-later holds are kept), and pick up entries other processes queued.
   */
  async kick(): Promise<void> {
    await this.ready;
    await this.rescan();
    for (const accountId of new Set([...this.entries.values()].map((e) => e.accountId))) {
      this.options.accounts.forgetCredentials?.(accountId);
    }
    const now = Date.now();
    for (const entry of this.entries.values()) {
      if (entry.state === 'queued' && entry.nextAttemptAt && time(entry.nextAttemptAt) > now) {
        await this.update(entry, { nextAttemptAt: iso(now) });
      }
    }
    this.schedule();
  }

  private async rescan(): Promise<void> {
    if (this.closed || !this.owner) return;
    try {
      const found = await this.store.loadAll(this.log, new Set(this.entries.keys()));
      for (const entry of found) {
        this.entries.set(entry.id, entry);
        this.emit(entry);
      }
      await this.prune();
      if (found.length) this.schedule();
    } catch (error) {
      this.log(`outbox: rescan failed: ${String(error)}`);
    }
  }

  /** Sent and cancelled entries older than the retention period go; with keepSentMessages off, their .eml at once. */
  private async prune(): Promise<void> {
    const { sentRetentionDays, keepSentMessages } = this.config();
    const cutoff = Date.now() - sentRetentionDays * 24 * 3_600_000;
    for (const entry of [...this.entries.values()]) {
      if (entry.state !== 'sent' && entry.state !== 'cancelled') continue;
      if (time(entry.sentAt ?? entry.updatedAt) < cutoff) {
        await this.store.remove(entry.id);
        this.entries.delete(entry.id);
        this.emit(undefined, entry.id);
      } else if (entry.state === 'sent' && !keepSentMessages && entry.hasMessageFile) {
        await this.store.removeMessage(entry.id);
        await this.update(entry, { hasMessageFile: false });
      }
    }
  }

  // ---------------------------------------------------------------- delivery

  private timesOf(entry: StoredEntry): { ready: number; created: number } {
    let known = this.times.get(entry);
    if (!known) {
      known = {
        ready: Math.max(time(entry.holdUntil), time(entry.nextAttemptAt)),
        created: time(entry.createdAt),
      };
      this.times.set(entry, known);
    }
    return known;
  }

  /** Starts every due delivery the per-account connection limit allows, and sets the next wake-up. */
  private schedule(): void {
    if (this.closed || !this.owner || this.options.deliver === false) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const { maxConnectionsPerAccount, maxInFlightPerAccount } = this.config();
    const limit = Math.max(maxConnectionsPerAccount, maxInFlightPerAccount);
    let wake = Infinity;
    // Called after every delivery, with possibly thousands queued: only entries that could start
    // now are ordered, and by a number computed once per entry, not by parsing dates in the sort.
    const startable: { entry: StoredEntry; created: number }[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state !== 'queued') continue;
      const { ready, created } = this.timesOf(entry);
      if (ready > now) {
        wake = Math.min(wake, ready);
        continue;
      }
      if ((this.inFlight.get(entry.accountId) ?? 0) >= limit) continue;
      startable.push({ entry, created });
    }
    startable.sort((a, b) => a.created - b.created);
    for (const { entry } of startable) {
      if ((this.inFlight.get(entry.accountId) ?? 0) >= limit) continue;
      this.inFlight.set(entry.accountId, (this.inFlight.get(entry.accountId) ?? 0) + 1);
      // Claimed synchronously: the next schedule() must not start it twice.
      entry.state = 'sending';
      const delivery = this.deliver(entry.id).finally(() => {
        this.deliveries.delete(delivery);
        const left = (this.inFlight.get(entry.accountId) ?? 1) - 1;
        if (left > 0) this.inFlight.set(entry.accountId, left);
        else {
          this.inFlight.delete(entry.accountId);
          this.pools.release(entry.accountId);
        }
        this.schedule();
      });
      this.deliveries.add(delivery);
    }
    if (wake !== Infinity) {
      this.timer = setTimeout(() => this.schedule(), Math.min(MAX_TIMER_MS, Math.max(0, wake - now)));
      this.timer.unref();
    }
  }

  private async deliver(id: string): Promise<void> {
    let entry = this.entries.get(id);
    if (!entry) return;
    try {
      // Durably 'sending' before the first byte: a crash from here on means "maybe delivered".
      entry = await this.update(
        { ...entry, state: 'queued' },
        {
          state: 'sending',
          attempts: entry.attempts + 1,
          lastAttemptAt: iso(Date.now()),
          nextAttemptAt: undefined,
        },
      );
    } catch (error) {
      this.log(`outbox: could not mark a message as sending: ${String(error)}`);
      const current = this.entries.get(id);
      if (current) current.state = 'queued';
      return;
    }
    const outcome = await this.attempt(entry);
    // Whatever went wrong (a changed password, a locked keychain), the next try reads afresh.
    if (!outcome.ok) this.options.accounts.forgetCredentials?.(entry.accountId);
    try {
      await this.finish(entry, outcome);
    } catch (error) {
      // The entry stays 'sending' on disk and is resent at the next start (at-least-once).
      this.log(`outbox: could not record the outcome of a delivery: ${String(error)}`);
    } finally {
      this.bytesSent.delete(id);
    }
  }

  private async attempt(
    entry: StoredEntry,
    refreshedAccessToken = false,
  ): Promise<
    { ok: true; response: string; recipients: RecipientOutcome[] } | { ok: false; error: MailroomError }
  > {
    const credentials = await this.options.accounts.credentialsFor(entry.accountId, entry.identityId, {
      refreshAccessToken: refreshedAccessToken,
    });
    if (!credentials.ok) return credentials;
    const { settings, password, accessToken } = credentials.value;
    const transporter = this.pools.acquire(entry.accountId, settings, { password, accessToken });
    if (!transporter.ok) return transporter;
    const context = sendErrorContext(settings);

    // The stored file is the message: stream it, counting bytes for the progress bar.
    const file = createReadStream(this.store.messagePath(entry.id));
    let sent = 0;
    let lastReport = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        sent += chunk.length;
        const now = Date.now();
        if (now - lastReport >= PROGRESS_INTERVAL_MS) {
          lastReport = now;
          this.bytesSent.set(entry.id, sent);
          const current = this.entries.get(entry.id);
          if (current) this.emit(current);
        }
        callback(null, chunk);
      },
    });
    file.on('error', (error) => counter.destroy(error));
    file.pipe(counter);
    try {
      const info = await transporter.value.sendMail({
        envelope: entry.envelope,
        raw: counter,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { ok: true, response: info.response, recipients: recipientOutcomes(entry.envelope.to, info) };
    } catch (error) {
      const classified = classifySmtpError(error, context);
      // XOAUTH2 refused (535, or 334 with an error JSON): the token was revoked or expired early.
      // Once more with a freshly refreshed token; a revoked grant then fails as OAUTH_SIGN_IN_REQUIRED.
      if (classified.code === 'AUTH_FAILED' && settings.authMethod === 'oauth2' && !refreshedAccessToken) {
        return this.attempt(entry, true);
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
      counter.destroy();
    }
  }

  private async finish(
    entry: StoredEntry,
    outcome:
      { ok: true; response: string; recipients: RecipientOutcome[] } | { ok: false; error: MailroomError },
  ): Promise<void> {
    const now = Date.now();
    if (outcome.ok) {
      const keep = this.config().keepSentMessages;
      // 'sent' is on disk before the file goes: a crash in between must not leave a 'sending'
      // entry without its message.
      const sent = await this.update(
        entry,
        {
          state: 'sent',
          sentAt: iso(now),
          response: outcome.response,
          recipients: outcome.recipients,
          lastError: undefined,
          hasMessageFile: keep,
        },
        true,
      );
      if (!keep) await this.store.removeMessage(sent.id);
      this.emit(sent);
      return;
    }
    const config = this.config();
    const expired = now - time(entry.queuedSince) >= config.queueLifetimeMs;
    if (isTemporary(outcome.error) && !expired && !this.closedDuring(outcome.error)) {
      const delay = backoffMs(entry.attempts, config.retryBaseMs, config.retryCapMs);
      await this.update(entry, {
        state: 'queued',
        lastError: outcome.error,
        nextAttemptAt: iso(now + delay),
      });
      return;
    }
    if (this.closedDuring(outcome.error)) {
      // The app is quitting: back to the queue, tried again at the next start.
      await this.update(entry, { state: 'queued', lastError: outcome.error, nextAttemptAt: iso(now) });
      return;
    }
    const error: MailroomError = expired
      ? {
          ...outcome.error,
          message: `Mailroom gave up after trying for ${Math.round(config.queueLifetimeMs / 3_600_000)} hours. Last problem: ${outcome.error.message}`,
        }
      : outcome.error;
    await this.update(entry, { state: 'failed', lastError: error });
  }

  private closedDuring(_error: MailroomError): boolean {
    return this.closed;
  }

  /** Stops delivering: open connections are closed (an interrupted message goes back to the queue). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.rescanTimer);
    await this.ready.catch(() => undefined);
    this.pools.closeAll();
    await Promise.allSettled([...this.deliveries]);
    await this.releaseLock();
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

/** Building the message failed before anything was queued: almost always a missing attachment. */
function buildError(error: unknown): MailroomError {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
    return {
      code: 'FILE_NOT_FOUND',
      message: `An attachment could not be read (${e.path ?? 'unknown file'}): ${e.code === 'ENOENT' ? 'it does not exist any more' : 'access was denied'}. The message was not queued.`,
      hint: 'Attach the file again, or remove it from the message.',
    };
  }
  if (e.code === 'ENOSPC') {
    return {
      code: 'INTERNAL',
      message: 'The disk is full, so the message could not be stored in the outbox. It was not queued.',
      hint: 'Free some disk space and send again.',
    };
  }
  return {
    code: 'INTERNAL',
    message: `The message could not be stored in the outbox: ${e.message ?? String(error)}. It was not queued.`,
    hint: 'Try again. If it keeps happening, restart Mailroom.',
  };
}
