import { useEffect, useState } from 'react';
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
}

/**
 * The outbox (or sent history), live: listed once, then kept current by outboxChanged events. The
 * subscription is a lease that this hook renews by listing again before it runs out.
 */
export function useOutbox(view: OutboxViewName): OutboxState {
  const [entries, setEntries] = useState<OutboxEntry[] | null>(null);
  const [pending, setPending] = useState<number | null>(null);
  const [error, setError] = useState<MailroomError | null>(null);

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
    void load();
    return () => {
      alive = false;
      clearTimeout(renew);
      stop();
    };
  }, [view]);

  return { entries, pending, error };
}

/**
 * When the browser reports the network is back, the outbox retries at once instead of waiting for
 * its backoff. Mounted once per window (however many outbox lists are shown), so one kick per change.
 */
export function useKickOutboxWhenOnline(): void {
  useEffect(() => {
    const online = () => void mailroom().kickOutbox({});
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, []);
}
