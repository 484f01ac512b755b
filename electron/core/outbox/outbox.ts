import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { DraftContent } from '../../../shared/domain/drafts';
import {
  OutboxSettingsSchema,
  type ComposeFields,
  type OutboxEntry,
  type OutboxSettings,
} from '../../../shared/domain/outbox';
import { fail, ok, type Result } from '../../../shared/result';
import { acquireDeliveryLock } from './delivery-lock';
import { copyMessageWithNewIdentity, newMessageId, writeMessageFile, type FileDigest } from './message-file';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxEntries } from './outbox-entries';
import { Turns } from '../turns';
import { CANCELLED, composeFieldsOf, emlFileName, queuedEntry, resentEntry } from './outbox-entry-builders';
import { buildError, notFound, notOwner, storeError, textsDamaged, wrongState } from './outbox-errors';
import { OutboxStore, type StoredEntry } from './outbox-store';
import type { EnqueueRequest, OutboxListener, OutboxOptions } from './outbox-types';
import { iso, time } from './timestamps';

/** After connections are cut on close, how long recording their outcome may take at most. */
const CLOSE_AFTER_CUT_MS = 2_000;
/** Messages being composed and stored at once, per process (their compose streams take turns too). */
const enqueueTurns = new Turns(8);

export type { EnqueueRequest, OutboxAccounts, OutboxListener, OutboxOptions } from './outbox-types';

/**
 * Store-and-forward delivery. A message is accepted only once its RFC 5322 file and its entry are on
 * disk (fsynced); from then on it is delivered, retried, or marked failed, but never dropped. An
 * entry is marked 'sending' (durably) before the last byte goes to the server (which cannot accept
 * the message earlier) and 'sent' right after the server's 250, so after a crash in between the
 * message is sent again with the same Message-ID: delivery is at-least-once, and a duplicate can
 * only be the message that was in flight.
 *
 * This class is the entry point and holds the user's actions; the entries in memory and their durable
 * updates are in outbox-entries.ts, scheduling and delivery attempts in outbox-delivery.ts.
 */
export class Outbox {
  private readonly store: OutboxStore;
  private readonly entries: OutboxEntries;
  private readonly delivery: OutboxDelivery;
  private readonly log: (message: string) => void;
  private rescanTimer: NodeJS.Timeout | undefined;
  private owner = false;
  private releaseLock: () => Promise<void> = async () => undefined;
  /** A claim of the delivery lock in progress (rescan, kick and a waiting command may all try). */
  private claiming: Promise<boolean> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** The last settings object seen and what it parsed to (see OutboxOptions.settings). */
  private parsedConfig: { raw: unknown; config: OutboxSettings } | undefined;
  readonly ready: Promise<void>;

  constructor(private readonly options: OutboxOptions) {
    this.store = new OutboxStore(options.dir);
    this.log = options.log ?? ((m) => console.error(m));
    this.entries = new OutboxEntries(this.store, this.log);
    this.delivery = new OutboxDelivery({
      entries: this.entries,
      store: this.store,
      accounts: options.accounts,
      config: () => this.config(),
      log: (message) => this.log(message),
      mayDeliver: () => !this.closed && this.owner && options.deliver !== false,
      closed: () => this.closed,
      pacing: options.pacing,
    });
    options.pacing?.onChange(() => this.delivery.schedule());
    this.ready = this.start();
    // Surface a failed start through the methods that await it, not as an unhandled rejection.
    this.ready.catch((error: unknown) => this.log(`outbox: could not start: ${String(error)}`));
  }

  config(): OutboxSettings {
    const raw = this.options.settings();
    // Asked at every scheduling pass; the settings store hands out a fresh copy each time, so the
    // copy is compared by value (a few keys) rather than parsed by the schema again.
    if (this.parsedConfig && isDeepStrictEqual(this.parsedConfig.raw, raw)) return this.parsedConfig.config;
    const parsed = OutboxSettingsSchema.safeParse(raw ?? {});
    const config = parsed.success ? parsed.data : OutboxSettingsSchema.parse({});
    this.parsedConfig = { raw, config };
    return config;
  }

  /** True when this process delivers (holds the profile's delivery lock). */
  get delivering(): boolean {
    return this.owner && this.options.deliver !== false;
  }

  /** close() was called: nothing more is delivered or should be queued by this process. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** When the pacing lets this entry start (0: now; Infinity: its merge job is paused). */
  pacedUntil(entry: Pick<OutboxEntry, 'accountId' | 'merge'>): number {
    return this.options.pacing?.startsAt(entry) ?? 0;
  }

  get directory(): string {
    return this.options.dir;
  }

  subscribe(listener: OutboxListener): () => void {
    return this.entries.subscribe(listener);
  }

  private async start(): Promise<void> {
    await this.store.ensure();
    // Only a deliverer takes the lock: a process that reads or queues must never keep one from
    // delivering. A deliverer that finds it taken tries again at every rescan and kick().
    if (this.options.deliver !== false) await this.claimLock();
    for (const entry of await this.store.loadAll(this.log)) this.entries.set(entry);
    if (this.owner) await this.takeCharge();
    const rescanMs = this.options.rescanMs ?? 30_000;
    this.rescanTimer = setInterval(() => void this.rescan(), rescanMs);
    this.rescanTimer.unref();
    this.delivery.schedule();
  }

  private async claimLock(): Promise<void> {
    const lock = await acquireDeliveryLock(this.options.dir);
    this.owner = lock.owned;
    this.releaseLock = lock.release;
  }

  /** What a new owner does first, for whatever an owner before it left behind. */
  private async takeCharge(): Promise<void> {
    await this.store.sweep(Date.now());
    for (const entry of this.entries.all()) {
      if (entry.state !== 'sending') continue;
      // We crashed (or were killed) mid-delivery. The server may or may not have the message:
      // send it again, same bytes, same Message-ID, so a duplicate is recognisable as one.
      await this.entries.update(entry, {
        state: 'queued',
        resumedAfterCrash: true,
        nextAttemptAt: iso(Date.now()),
      });
    }
    await this.prune();
  }

  /**
   * Claims the lock after start; once it is ours, takes over from the entries as its last holder
   * left them on disk, which are newer than what this process loaded while it only watched.
   */
  private claimLater(): Promise<boolean> {
    if (this.owner) return Promise.resolve(true);
    this.claiming ??= acquireDeliveryLock(this.options.dir)
      .then(async (lock) => {
        if (!lock.owned) return false;
        this.owner = true;
        this.releaseLock = lock.release;
        if (!this.closed) await this.takeOverFromDisk();
        return true;
      })
      .finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  private async takeOverFromDisk(): Promise<void> {
    const found = await this.store.loadAll(this.log);
    const present = new Set(found.map((e) => e.id));
    for (const id of [...this.entries.ids()]) {
      if (present.has(id)) continue;
      this.entries.delete(id);
      this.entries.emit(undefined, id);
    }
    for (const entry of found) {
      const known = this.entries.stored(entry.id);
      this.entries.set(entry);
      if (known?.updatedAt !== entry.updatedAt || known.state !== entry.state) this.entries.emit(entry);
    }
    await this.takeCharge();
  }

  // ---------------------------------------------------------------- reading

  async list(view: 'outbox' | 'sent'): Promise<OutboxEntry[]> {
    await this.ready;
    return this.entries.list(view);
  }

  /**
   * The sent entries' times, accounts and merge refs, in no order: what a reader of thousands of
   * them needs (the merge's daily count at start), without the public view and sort of list().
   */
  async sentTimes(): Promise<Pick<OutboxEntry, 'accountId' | 'sentAt' | 'merge'>[]> {
    await this.ready;
    const sent: Pick<OutboxEntry, 'accountId' | 'sentAt' | 'merge'>[] = [];
    for (const entry of this.entries.all()) if (entry.state === 'sent') sent.push(entry);
    return sent;
  }

  get(id: string): OutboxEntry | undefined {
    const entry = this.entries.stored(id);
    return entry && this.entries.publicView(entry);
  }

  /**
   * The entry as it stands now: from memory when this process delivers, else from its file (another
   * process delivers and rewrites it).
   */
  async current(id: string): Promise<OutboxEntry | undefined> {
    if (this.delivering) return this.get(id);
    const stored = await this.store.read(id);
    return stored && this.entries.publicView(stored);
  }

  /** Resolves at this process's next outbox change, or after `ms` (a waiter's bounded tick). */
  nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const unsubscribe = this.subscribe(done);
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }

  pendingCount(): number {
    return this.entries.pendingCount();
  }

  // ---------------------------------------------------------------- changes

  /**
   * Builds the message, stores it, and queues it. Resolves once the message is safe on disk: from
   * here on it is never lost.
   */
  async enqueue(request: EnqueueRequest): Promise<Result<OutboxEntry>> {
    await this.ready;
    // A fixed id already in the outbox is that message, queued before (a draft sent once already,
    // a merge row): its file is never written over, since it may be on the wire right now. The
    // deliverer holds every entry in memory; another process also looks at the folder.
    if (request.id !== undefined) {
      const existing =
        this.entries.stored(request.id) ?? (this.delivering ? undefined : await this.store.read(request.id));
      if (existing) return ok(this.entries.publicView(existing));
    }
    const identity = this.options.accounts.identityFor(request.accountId, request.identityId);
    if (!identity.ok) return identity;
    // A message takes one turn from composing to its entry on disk: when hundreds are handed over
    // at once, the first are queued, and on their way, while the rest wait, instead of every file
    // write of every message taking turns on the disk and none being ready until most are.
    const done = await enqueueTurns.take();
    let entry: StoredEntry;
    try {
      const now = Date.now();
      const id = request.id ?? randomUUID();
      const fields = composeFieldsOf(request);
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
      const full = queuedEntry(id, request, fields, identity.value, built, now, undoDelay);
      // The message file is on disk before its entry, so an entry never points at a partial message.
      try {
        entry = await this.store.add(full);
      } catch (error) {
        return fail(storeError(error));
      }
    } finally {
      done();
    }
    this.entries.set(entry);
    request.onQueued?.(this.entries.publicView(entry));
    this.entries.emit(entry);
    this.delivery.schedule();
    return ok(this.entries.publicView(entry));
  }

  private async mutable(id: string): Promise<Result<StoredEntry>> {
    await this.ready;
    // A process that does not deliver takes the lock only to change an entry (`outbox cancel`), and
    // only while no deliverer runs: the deliverer alone may change what it may be sending.
    if (this.options.deliver === false && !this.closed) await this.claimLater();
    const entry = this.entries.stored(id);
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
    const next = await this.entries.update(entry, {
      state: 'queued',
      holdUntil: undefined,
      holdReason: undefined,
      nextAttemptAt: now,
      queuedSince: entry.state === 'queued' ? entry.queuedSince : now,
    });
    this.delivery.schedule();
    return ok(this.entries.publicView(next));
  }

  /** Cancel (also "undo send" within the delay): only while the message is not being sent. */
  async cancel(id: string): Promise<Result<OutboxEntry>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.state !== 'queued' && entry.state !== 'failed') return fail(wrongState(entry, 'cancelled'));
    const next = await this.entries.update(entry, CANCELLED);
    return ok(this.entries.publicView(next));
  }

  /**
   * The fields as typed, for compose to reopen. A message still waiting is cancelled first, so the
   * edited copy is the only one that goes out; a sent one is left as it is ("edit as new").
   */
  /**
   * Takes a message back to edit it (Undo, Edit): a waiting or failed one is cancelled first; one on
   * the wire cannot be. Returns the fields as sent and the draft as typed, where it was kept.
   */
  async takeBack(id: string): Promise<Result<{ fields: ComposeFields; typed: DraftContent | undefined }>> {
    await this.ready;
    const entry = this.entries.stored(id);
    if (!entry) return fail(notFound(id));
    if (entry.state === 'sending') return fail(wrongState(entry, 'edited'));
    // Read before cancelling: texts that cannot be read back leave the message as it was.
    const withTexts = await this.store.withTexts(entry);
    if (!withTexts) return fail(textsDamaged(entry, this.store.textsFileName(id)));
    if (entry.state === 'queued' || entry.state === 'failed') {
      const cancelled = await this.cancel(id);
      if (!cancelled.ok) return cancelled;
    }
    return ok({ fields: withTexts.draft, typed: withTexts.typed });
  }

  /** Sends a stored message again as a new message (new Message-ID and Date, same content). */
  async resend(id: string): Promise<Result<OutboxEntry>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const stored = found.value;
    if (!stored.hasMessageFile) {
      return fail({
        code: 'FILE_NOT_FOUND',
        message: `The stored copy of “${stored.subject || '(no subject)'}” was removed after the retention period.`,
        hint: 'Use Edit to open it in compose and send it from there.',
      });
    }
    // The copy keeps the texts, for an Edit of it later.
    const source = await this.store.withTexts(stored);
    if (!source) return fail(textsDamaged(stored, this.store.textsFileName(id)));
    const now = Date.now();
    const newId = randomUUID();
    const messageId = newMessageId(source.envelope.from);
    let copied: FileDigest;
    try {
      copied = await copyMessageWithNewIdentity(
        this.store.messagePath(id),
        this.store.messagePath(newId),
        messageId,
        new Date(now),
      );
    } catch (error) {
      return fail(buildError(error));
    }
    let entry: StoredEntry;
    try {
      entry = await this.store.add(resentEntry(source, newId, messageId, copied, now));
    } catch (error) {
      return fail(storeError(error));
    }
    this.entries.set(entry);
    this.entries.emit(entry);
    this.delivery.schedule();
    return ok(this.entries.publicView(entry));
  }

  /** Deletes a finished entry (sent, failed or cancelled) and its message file. */
  async remove(id: string): Promise<Result<void>> {
    const found = await this.mutable(id);
    if (!found.ok) return found;
    const entry = found.value;
    if (entry.state === 'queued' || entry.state === 'sending') return fail(wrongState(entry, 'removed'));
    await this.store.remove(id);
    this.entries.delete(id);
    this.entries.emit(undefined, id);
    return ok(undefined);
  }

  /** The stored .eml, for the host to open or copy. */
  async messageFile(id: string): Promise<Result<{ path: string; fileName: string; size: number }>> {
    await this.ready;
    const entry = this.entries.stored(id);
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
    return ok({ path, fileName: emlFileName(entry.subject), size: info.size });
  }

  /**
   * The network is back or the machine woke: try every message waiting on a retry now (undo and
   * send-later holds are kept), and pick up entries other processes queued.
   */
  async kick(): Promise<void> {
    await this.ready;
    await this.rescan();
    for (const accountId of new Set([...this.entries.all()].map((e) => e.accountId))) {
      this.options.accounts.forgetCredentials?.(accountId);
    }
    const now = Date.now();
    for (const entry of this.entries.all()) {
      if (entry.state === 'queued' && entry.nextAttemptAt && time(entry.nextAttemptAt) > now) {
        await this.entries.update(entry, { nextAttemptAt: iso(now) });
      }
    }
    this.delivery.schedule();
  }

  /**
   * A deliverer that found the delivery lock taken: if its holder has quit or died, take the lock
   * and deliver from here (also tried at every rescan and kick()). True when this process delivers.
   */
  async takeOverDelivery(): Promise<boolean> {
    await this.ready;
    if (this.owner || this.closed || this.options.deliver === false) return this.delivering;
    try {
      if ((await this.claimLater()) && !this.closed) this.delivery.schedule();
    } catch (error) {
      this.log(`outbox: could not take over delivery: ${String(error)}`);
    }
    return this.delivering;
  }

  /** Picks up entries other processes queued now, not at the next rescan (a merge job another process queued). */
  async pickUp(): Promise<void> {
    await this.ready;
    await this.rescan();
  }

  private async rescan(): Promise<void> {
    if (this.closed) return;
    if (!this.owner) {
      await this.takeOverDelivery();
      return;
    }
    try {
      const found = await this.store.loadAll(this.log, new Set(this.entries.ids()));
      for (const entry of found) {
        this.entries.set(entry);
        this.entries.emit(entry);
      }
      await this.prune();
      if (found.length) this.delivery.schedule();
    } catch (error) {
      this.log(`outbox: rescan failed: ${String(error)}`);
    }
  }

  /** Sent and cancelled entries older than the retention period go; with keepSentMessages off, their .eml at once. */
  private async prune(): Promise<void> {
    const { sentRetentionDays, keepSentMessages } = this.config();
    const cutoff = Date.now() - sentRetentionDays * 24 * 3_600_000;
    for (const entry of [...this.entries.all()]) {
      if (entry.state !== 'sent' && entry.state !== 'cancelled') continue;
      if (time(entry.sentAt ?? entry.updatedAt) < cutoff) {
        await this.store.remove(entry.id);
        this.entries.delete(entry.id);
        this.entries.emit(undefined, entry.id);
      } else if (entry.state === 'sent' && !keepSentMessages && entry.hasMessageFile) {
        await this.store.removeMessage(entry.id);
        await this.entries.update(entry, { hasMessageFile: false });
      }
    }
  }

  /**
   * Stops delivering. A message already on the wire gets up to `quitGraceMs` (outbox settings) to
   * reach the server's reply and have it recorded, so a normal quit never causes a duplicate; after
   * that, open connections are closed and an interrupted message goes back to the queue. Every caller
   * waits for the same close.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    this.delivery.stopTimer();
    clearInterval(this.rescanTimer);
    await this.ready.catch(() => undefined);
    // A claim in flight may still win: release what it wins.
    await this.claiming?.catch(() => undefined);
    await this.delivery.settled(this.config().quitGraceMs);
    this.delivery.closeConnections();
    // A cut connection fails its sends at once; the bound only guards against a stuck file write.
    await this.delivery.settled(CLOSE_AFTER_CUT_MS);
    await this.releaseLock();
  }
}
