import { useCallback, useEffect, useState } from 'react';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

export type OutboxViewName = 'outbox' | 'sent';

/** One id per page: listing leases this page a subscription to outboxChanged (see listOutbox). */
const subscriberId = crypto.randomUUID();

const belongs = (entry: OutboxEntry, view: OutboxViewName) => (view === 'sent') === (entry.state === 'sent');

function sortFor(view: OutboxViewName) {
  return view === 'sent'
    ? (a: OutboxEntry, b: OutboxEntry) => Date.parse(b.sentAt ?? '') - Date.parse(a.sentAt ?? '')
    : (a: OutboxEntry, b: OutboxEntry) => Date.parse(a.createdAt) - Date.parse(b.createdAt);
}

export interface OutboxState {
  entries: OutboxEntry[] | null;
  pending: number | null;
  error: MailroomError | null;
  reload: () => void;
}

/**
 * The outbox (or sent history), live: listed once, then kept current by outboxChanged events. The
 * subscription is a lease that this hook renews by listing again before it runs out. When the
 * browser reports the network is back, the outbox is told to retry at once.
 */
export function useOutbox(view: OutboxViewName): OutboxState {
  const [entries, setEntries] = useState<OutboxEntry[] | null>(null);
  const [pending, setPending] = useState<number | null>(null);
  const [error, setError] = useState<MailroomError | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let alive = true;
    let renew: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const result = await mailroom().listOutbox({ view, subscriberId });
      if (!alive) return;
      if (!result.ok) {
        setError(result.error);
        renew = setTimeout(() => void load(), 30_000);
        return;
      }
      setError(null);
      setEntries(result.value.entries);
      setPending(result.value.pending);
      renew = setTimeout(() => void load(), Math.max(1_000, result.value.leaseMs / 2));
    };
    const stop = mailroom().onOutboxChanged((change) => {
      setPending(change.pending);
      setEntries((current) => {
        if (!current) return current;
        const id = change.entry?.id ?? change.removedId;
        const others = current.filter((e) => e.id !== id);
        if (!change.entry || !belongs(change.entry, view)) return others;
        return [...others, change.entry].sort(sortFor(view));
      });
    });
    const online = () => void mailroom().kickOutbox({});
    window.addEventListener('online', online);
    void load();
    return () => {
      alive = false;
      clearTimeout(renew);
      stop();
      window.removeEventListener('online', online);
    };
  }, [view, generation]);

  return { entries, pending, error, reload };
}
