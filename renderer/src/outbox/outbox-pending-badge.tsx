import { useOutbox } from './use-outbox';
import './outbox.css';

/** How many messages wait to go out or need attention (queued, sending, failed). */
export function usePendingCount(): number | null {
  return useOutbox('outbox').pending;
}

/** A small count for the navigation ("Outbox 3"); renders nothing when nothing is pending. */
export function OutboxPendingBadge() {
  const pending = usePendingCount();
  if (!pending) return null;
  return (
    <span className="pending-badge" aria-label={`${pending} pending`}>
      {pending}
    </span>
  );
}
