import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboxEntry } from '../../shared/domain/outbox';
import type { Outbox } from '../core/outbox/outbox';
import { OutboxStore } from '../core/outbox/outbox-store';

const POLL_MS = 100;
/** Another process (the app) delivers: it picks up our entry at its next rescan (up to 30 s). */
const FOREIGN_POLL_MS = 500;

/**
 * True once this delivery effort has an outcome: sent, failed, cancelled, or back in the queue after
 * an attempt that failed (temporary problem: the outbox retries later, the command reports it now).
 */
export function settled(entry: OutboxEntry, attemptsBefore: number): boolean {
  if (entry.state === 'sent' || entry.state === 'failed' || entry.state === 'cancelled') return true;
  return entry.state === 'queued' && entry.attempts > attemptsBefore && entry.lastError !== undefined;
}

/**
 * Waits until the entry has an outcome. When this process delivers, it watches the outbox in memory;
 * when another process holds the delivery lock, it reads the entry's file until that process has
 * delivered it. `onChange` sees every state on the way (for progress).
 */
export async function waitForOutcome(
  outbox: Outbox,
  id: string,
  attemptsBefore: number,
  onChange: (entry: OutboxEntry) => void = () => undefined,
): Promise<OutboxEntry | undefined> {
  if (outbox.delivering) {
    for (;;) {
      const entry = outbox.get(id);
      if (!entry) return undefined;
      onChange(entry);
      if (settled(entry, attemptsBefore)) return entry;
      await sleep(POLL_MS);
    }
  }
  const store = new OutboxStore(outbox.directory);
  for (;;) {
    const stored = await store.read(id);
    if (!stored) return undefined;
    const { version: _v, identityId: _i, envelope: _e, draft: _d, queuedSince: _q, ...entry } = stored;
    onChange(entry);
    if (settled(entry, attemptsBefore)) return entry;
    await sleep(FOREIGN_POLL_MS);
  }
}

function due(entry: OutboxEntry, now: number): boolean {
  if (entry.state !== 'queued') return false;
  const readyAt = Math.max(
    entry.holdUntil ? Date.parse(entry.holdUntil) : 0,
    entry.nextAttemptAt ? Date.parse(entry.nextAttemptAt) : 0,
  );
  return readyAt <= now;
}

/** Waits until nothing is being sent and nothing due is left (held and backed-off messages wait). */
export async function waitUntilIdle(outbox: Outbox): Promise<void> {
  for (;;) {
    const now = Date.now();
    const entries = await outbox.list('outbox');
    if (!entries.some((e) => e.state === 'sending' || due(e, now))) return;
    await sleep(POLL_MS);
  }
}

/** Waits until no message is on the wire. */
export async function waitUntilNothingSending(outbox: Outbox): Promise<void> {
  while ((await outbox.list('outbox')).some((e) => e.state === 'sending')) await sleep(POLL_MS);
}
