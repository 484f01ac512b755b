import type { StoredEntry } from './outbox-store';
import { time } from './timestamps';

interface Item {
  id: string;
  created: number;
  /** A merge job's rows queued in the same millisecond go in row order. */
  job: string | undefined;
  row: number;
  /** Dropped from the middle of the queue; skipped until the next compaction. */
  gone: boolean;
}

const byAge = (a: Item, b: Item) =>
  a.created - b.created || (a.job !== undefined && a.job === b.job ? a.row - b.row : 0);

/**
 * One account's pending entries, oldest first, for the scheduler. After every delivery it needs only
 * the oldest few queued entries of an account with a free connection: walking this from the front
 * and stopping there costs what is in flight plus what it starts, not the whole queue, which made
 * a burst of thousands quadratic.
 *
 * It holds ids, never entry objects (an update replaces the object). An id stays until a walk finds
 * it no longer belongs (sent, removed, moved to another account), so the owner only ever adds.
 */
export class PendingQueue {
  private items: Item[] = [];
  private head = 0;
  private gone = 0;
  private sorted = true;
  /** Walks under way: the array is only rearranged when none is (a walk holds positions in it). */
  private walking = 0;

  get size(): number {
    return this.items.length - this.head - this.gone;
  }

  add(entry: StoredEntry): void {
    const item: Item = {
      id: entry.id,
      created: time(entry.createdAt),
      job: entry.merge?.jobId,
      row: entry.merge?.row ?? 0,
      gone: false,
    };
    const last = this.items[this.items.length - 1];
    // Entries come in the order they are queued, so this is almost always an append in order;
    // loading from disk (directory order) is the exception, sorted once before the next walk.
    if (last && this.items.length > this.head && byAge(last, item) > 0) this.sorted = false;
    this.items.push(item);
  }

  /**
   * The entries oldest first (ties in the order they were added). `current(id)` returns the entry
   * the id now stands for, or undefined when it no longer belongs here; such ids are dropped.
   * The caller may stop early.
   */
  *oldestFirst(current: (id: string) => StoredEntry | undefined): Generator<StoredEntry> {
    if (!this.sorted && this.walking === 0) {
      const live = this.items.slice(this.head).filter((i) => !i.gone);
      // Array.prototype.sort is stable: equal ages keep the order they were added in.
      this.items = live.sort(byAge);
      this.head = 0;
      this.gone = 0;
      this.sorted = true;
    }
    this.walking++;
    try {
      for (let at = this.head; at < this.items.length; at++) {
        const item = this.items[at]!;
        if (item.gone) {
          if (at === this.head) {
            this.head++;
            this.gone--;
          }
          continue;
        }
        const entry = current(item.id);
        if (entry) {
          yield entry;
          continue;
        }
        if (at === this.head) this.head++;
        else {
          item.gone = true;
          this.gone++;
        }
      }
    } finally {
      this.walking--;
      this.compact();
    }
  }

  /** Frees what walks have dropped once it is most of the array (amortised, never per walk). */
  private compact(): void {
    const dead = this.head + this.gone;
    if (this.walking > 0 || dead < 64 || dead * 2 < this.items.length) return;
    this.items = this.items.slice(this.head).filter((i) => !i.gone);
    this.head = 0;
    this.gone = 0;
  }
}
