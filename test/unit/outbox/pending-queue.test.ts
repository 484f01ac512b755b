import { describe, expect, it } from 'vitest';
import { PendingQueue } from '../../../electron/core/outbox/pending-queue';
import type { StoredEntry } from '../../../electron/core/outbox/outbox-store';

// Only the fields the queue reads; the rest of an entry is not what is tested here.
const entry = (id: string, createdAt: string, merge?: { jobId: string; row: number }) =>
  ({ id, createdAt, ...(merge ? { merge } : {}) }) as unknown as StoredEntry;

function walk(queue: PendingQueue, live: Map<string, StoredEntry>, stopAfter = Infinity): string[] {
  const seen: string[] = [];
  for (const e of queue.oldestFirst((id) => live.get(id))) {
    seen.push(e.id);
    if (seen.length >= stopAfter) break;
  }
  return seen;
}

describe('the pending queue the scheduler walks', () => {
  it('goes oldest first whatever order the entries came in (a folder read at start-up)', () => {
    const queue = new PendingQueue();
    const live = new Map<string, StoredEntry>();
    for (const [id, at] of [
      ['c', '2026-12-01T10:00:03.000Z'],
      ['a', '2026-12-01T10:00:01.000Z'],
      ['d', '2026-12-01T10:00:04.000Z'],
      ['b', '2026-12-01T10:00:02.000Z'],
    ] as const) {
      const e = entry(id, at);
      live.set(id, e);
      queue.add(e);
    }
    expect(walk(queue, live)).toEqual(['a', 'b', 'c', 'd']);
  });

  it("keeps a merge job's rows of one millisecond in row order, other ties as they came", () => {
    const queue = new PendingQueue();
    const live = new Map<string, StoredEntry>();
    const at = '2026-12-01T10:00:00.000Z';
    for (const e of [
      entry('x', at),
      entry('row3', at, { jobId: 'j', row: 3 }),
      entry('row1', at, { jobId: 'j', row: 1 }),
      entry('y', at),
      entry('row2', at, { jobId: 'j', row: 2 }),
    ]) {
      live.set(e.id, e);
      queue.add(e);
    }
    const order = walk(queue, live);
    expect(order.filter((id) => id.startsWith('row'))).toEqual(['row1', 'row2', 'row3']);
    expect(order.indexOf('x')).toBeLessThan(order.indexOf('y'));
  });

  it('drops what no longer belongs, and a walk stopped early misses nothing the next time', () => {
    const queue = new PendingQueue();
    const live = new Map<string, StoredEntry>();
    for (let i = 0; i < 200; i++) {
      const e = entry(`m${i}`, new Date(Date.UTC(2026, 11, 1, 10, 0, 0, i)).toISOString());
      live.set(e.id, e);
      queue.add(e);
    }
    expect(walk(queue, live, 2)).toEqual(['m0', 'm1']);
    // The first 150 were sent (and one in the middle removed): they leave as the walks pass them.
    for (let i = 0; i < 150; i++) live.delete(`m${i}`);
    live.delete('m170');
    expect(walk(queue, live, 1)).toEqual(['m150']);
    const rest = walk(queue, live);
    expect(rest).toHaveLength(49);
    expect(rest).not.toContain('m170');
    expect(queue.size).toBe(49);
    // Added after the compaction: still in order behind the rest.
    const late = entry('late', '2026-12-01T11:00:00.000Z');
    live.set('late', late);
    queue.add(late);
    expect(walk(queue, live).at(-1)).toBe('late');
  });
});
