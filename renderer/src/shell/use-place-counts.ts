import { useEffect, useState } from 'react';
import { mailroom } from '../mailroom-api';
import { useOutbox } from '../outbox/use-outbox';

export interface PlaceCounts {
  drafts: number;
  /** Waiting to go out: queued (held for undo, scheduled, retrying) or being sent now. */
  queued: number;
  /** Given up on: these need the user, so the sidebar shows them apart, in the alert colour. */
  failed: number;
}

/** How often the drafts count is read again while the window is visible (no event announces drafts). */
const DRAFTS_REFRESH_MS = 5_000;

/**
 * The sidebar's counts, live. Outbox counts follow outboxChanged through the outbox list; the drafts
 * count is read again whenever something may have changed it: a message queued or taken back (both
 * move a draft), the window regaining focus, the user moving to another place, and now and then while
 * compose autosaves.
 */
export function usePlaceCounts(place: string): PlaceCounts {
  const { entries } = useOutbox('outbox');
  const drafts = useDraftCount(place);
  let queued = 0;
  let failed = 0;
  for (const entry of entries ?? []) {
    if (entry.state === 'queued' || entry.state === 'sending') queued++;
    else if (entry.state === 'failed') failed++;
  }
  return { drafts, queued, failed };
}

function useDraftCount(place: string): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let alive = true;
    const read = () => {
      if (document.visibilityState === 'hidden') return;
      void mailroom()
        .listDrafts({})
        .then((result) => {
          if (alive && result.ok) setCount(result.value.drafts.length);
        });
    };
    read();
    const timer = setInterval(read, DRAFTS_REFRESH_MS);
    const stop = mailroom().onOutboxChanged(read);
    window.addEventListener('focus', read);
    document.addEventListener('visibilitychange', read);
    return () => {
      alive = false;
      clearInterval(timer);
      stop();
      window.removeEventListener('focus', read);
      document.removeEventListener('visibilitychange', read);
    };
  }, [place]);
  return count;
}
