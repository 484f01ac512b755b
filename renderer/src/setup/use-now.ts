import { useEffect, useState } from 'react';

/** The current time, renewed every `everyMs` while `active` (for countdowns); idle otherwise. */
export function useNow(active: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}

/** Waits shorter than this need no countdown: the user would barely see it. */
export const COUNTDOWN_AFTER_MS = 1_000;

/** "14 s" left of a wait that started at `startedAt` and may last `limitMs`. */
export function secondsLeft(startedAt: number, limitMs: number, now: number): number {
  return Math.max(0, Math.ceil((startedAt + limitMs - now) / 1000));
}
