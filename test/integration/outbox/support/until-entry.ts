import type { OutboxEntry } from '../../../../shared/domain/outbox';
import type { Outbox } from '../../../../electron/core/outbox/outbox';

/** Resolves with the entry once `predicate` holds for it (the outbox's own change events). */
export function untilEntry(
  outbox: Outbox,
  id: string,
  predicate: (e: OutboxEntry) => boolean,
): Promise<OutboxEntry> {
  return new Promise((resolve) => {
    const check = (entry: OutboxEntry | undefined) => {
      if (entry && entry.id === id && predicate(entry)) {
        stop();
        resolve(entry);
      }
    };
    const stop = outbox.subscribe(({ entry }) => check(entry));
    check(outbox.get(id));
  });
}
