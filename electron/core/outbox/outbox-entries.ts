import { PENDING_STATES, type OutboxEntry } from '../../../shared/domain/outbox';
import type { OutboxStore, StoredEntry } from './outbox-store';
import type { OutboxListener } from './outbox-types';
import { PendingQueue } from './pending-queue';
import { iso, time } from './timestamps';

/** What a stored entry holds besides the contract's fields (see publicView). */
const BOOKKEEPING_KEYS: ReadonlySet<string> = new Set<Exclude<keyof StoredEntry, keyof OutboxEntry>>([
  'version',
  'identityId',
  'envelope',
  'draft',
  'queuedSince',
  'sha256',
  'typed',
  'draftFile',
]);

/** How often a state that could not be written (a full disk) is written again. */
const RECORD_RETRY_MS = 1_000;

function patched(entry: StoredEntry, patch: Partial<StoredEntry>): StoredEntry {
  const next: StoredEntry = { ...entry, ...patch, updatedAt: iso(Date.now()) };
  for (const key of Object.keys(patch) as (keyof StoredEntry)[]) {
    if (patch[key] === undefined) delete next[key];
  }
  return next;
}

/**
 * Rows of one mail merge in the order of their list, for entries of the same moment: a job queues
 * several rows at once, often within one millisecond, and the listing must not show them shuffled.
 */
function inRowOrder(a: StoredEntry, b: StoredEntry): number {
  return a.merge && b.merge && a.merge.jobId === b.merge.jobId ? a.merge.row - b.merge.row : 0;
}

/**
 * The outbox's entries in memory, kept in step with the store: every change is written durably
 * before it replaces the entry here and before listeners hear of it. Also what callers see of an
 * entry (the public view, without the envelope, the draft and other bookkeeping).
 */
export class OutboxEntries {
  private readonly byId = new Map<string, StoredEntry>();
  /**
   * Ids of the entries in a pending state, kept with byId: every change is broadcast with the
   * pending count, and counting thousands of entries per change made a large outbox quadratic.
   * (Delivery claims an entry by turning 'queued' into 'sending' in place: both are pending.)
   */
  private readonly pendingIds = new Set<string>();
  /** The pending entries again, per account and oldest first: what the scheduler walks. */
  private readonly queues = new Map<string, PendingQueue>();
  /** Progress of the deliveries in flight; shown in the public view, never stored. */
  readonly bytesSent = new Map<string, number>();
  private readonly listeners = new Set<OutboxListener>();
  /** Entries whose latest state is only in memory because writing it failed (a full disk). */
  private readonly unrecorded = new Set<string>();
  private recordTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly log: (message: string) => void,
  ) {}

  stored(id: string): StoredEntry | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<StoredEntry> {
    return this.byId.values();
  }

  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /**
   * Per account (with pending entries), its pending entries oldest first. An account whose queue
   * is walked empty is forgotten.
   */
  *pendingQueues(): IterableIterator<[accountId: string, entries: Iterable<StoredEntry>]> {
    for (const [accountId, queue] of this.queues) {
      if (queue.size === 0) {
        this.queues.delete(accountId);
        continue;
      }
      yield [accountId, queue.oldestFirst((id) => this.pendingOf(id, accountId))];
    }
  }

  private pendingOf(id: string, accountId: string): StoredEntry | undefined {
    if (!this.pendingIds.has(id)) return undefined;
    const entry = this.byId.get(id);
    return entry?.accountId === accountId ? entry : undefined;
  }

  /** Keeps an entry that is already on disk (loaded, or just written by the caller). */
  set(entry: StoredEntry): void {
    const before = this.byId.get(entry.id);
    this.byId.set(entry.id, entry);
    if (PENDING_STATES.includes(entry.state)) {
      // New to its account's queue (just pending, or moved from another account): add it there.
      if (!this.pendingIds.has(entry.id) || before?.accountId !== entry.accountId) {
        let queue = this.queues.get(entry.accountId);
        if (!queue) this.queues.set(entry.accountId, (queue = new PendingQueue()));
        queue.add(entry);
      }
      this.pendingIds.add(entry.id);
    } else this.pendingIds.delete(entry.id);
  }

  delete(id: string): void {
    this.byId.delete(id);
    this.pendingIds.delete(id);
  }

  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Exactly the contract's fields (OutboxEntrySchema), nothing of the bookkeeping: the CLI prints
   * listOutbox's answer without the response schema check that would otherwise strip the rest.
   */
  publicView(entry: StoredEntry): OutboxEntry {
    // A loop rather than a rest pattern: V8 copies with a list of excluded keys on a slow path,
    // which was most of listing 10,000 entries. Same keys, same order.
    const view: Record<string, unknown> = {};
    for (const key in entry) {
      if (!BOOKKEEPING_KEYS.has(key)) view[key] = entry[key as keyof StoredEntry];
    }
    // Names go with the addresses wherever the window shows them (the entry keeps bare addresses).
    const names = entry.draft.displayNames;
    if (names && Object.keys(names).length) view['displayNames'] = names;
    view['attachmentCount'] = entry.draft.attachments.length;
    const sent = this.bytesSent.get(entry.id);
    if (sent !== undefined) view['bytesSent'] = sent;
    return view as OutboxEntry;
  }

  list(view: 'outbox' | 'sent'): OutboxEntry[] {
    // Each entry's time is parsed once, not at every comparison of the sort (thousands of entries).
    const keyed: { entry: StoredEntry; at: number }[] = [];
    for (const entry of this.byId.values()) {
      if ((entry.state === 'sent') !== (view === 'sent')) continue;
      keyed.push({ entry, at: view === 'sent' ? -time(entry.sentAt) : time(entry.createdAt) });
    }
    return keyed
      .sort((a, b) => a.at - b.at || inRowOrder(a.entry, b.entry))
      .map(({ entry }) => this.publicView(entry));
  }

  pendingCount(): number {
    return this.pendingIds.size;
  }

  emit(entry: StoredEntry | undefined, removedId?: string): void {
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
  async update(entry: StoredEntry, patch: Partial<StoredEntry>, quiet = false): Promise<StoredEntry> {
    const next = patched(entry, patch);
    await this.store.write(next);
    this.unrecorded.delete(next.id);
    this.set(next);
    if (!quiet) this.emit(next);
    return next;
  }

  /**
   * For an outcome that happened whatever the disk says (the server answered): like update(), but
   * when the write fails the new state is kept in memory and written again every RECORD_RETRY_MS
   * (and by recordHeld()) until it is on disk. `recorded` says whether it is already.
   */
  async updateOrHold(
    entry: StoredEntry,
    patch: Partial<StoredEntry>,
    quiet = false,
  ): Promise<{ entry: StoredEntry; recorded: boolean }> {
    const next = patched(entry, patch);
    let recorded = true;
    try {
      await this.store.write(next);
      this.unrecorded.delete(next.id);
    } catch (error) {
      recorded = false;
      this.unrecorded.add(next.id);
      this.log(
        `outbox: could not record the state of ${next.id} (${next.state}), will try again: ${String(error)}`,
      );
      this.recordTimer ??= setTimeout(() => {
        this.recordTimer = undefined;
        void this.recordHeld();
      }, RECORD_RETRY_MS);
      this.recordTimer.unref();
    }
    this.set(next);
    if (!quiet) this.emit(next);
    return { entry: next, recorded };
  }

  /** Whether the entry's state in memory is not on disk yet (see updateOrHold). */
  isHeld(id: string): boolean {
    return this.unrecorded.has(id);
  }

  /** Writes every held state again; what still fails stays held (and is retried on a timer). */
  async recordHeld(): Promise<void> {
    for (const id of [...this.unrecorded]) {
      const entry = this.byId.get(id);
      if (!entry) {
        this.unrecorded.delete(id);
        continue;
      }
      const { recorded } = await this.updateOrHold(entry, {}, true);
      if (!recorded) return;
    }
  }
}
