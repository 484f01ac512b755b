import { hasOutcome } from '../../shared/domain/outbox-states';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboxEntry } from '../../shared/domain/outbox';
import type { MailroomError } from '../../shared/result';
import { deliveryLockHolder } from '../core/outbox/delivery-lock';
import type { Outbox } from '../core/outbox/outbox';
import { integerOption } from './usage-error';

/** This process delivers: it hears every change; the poll is only a safety net. */
const OWN_POLL_MS = 1_000;
/** Another process (the app) delivers: read its entry file, and see whether it is still there. */
const FOREIGN_POLL_MS = 500;
/** How long a command waits for a delivery unless told otherwise (--wait). */
export const DEFAULT_WAIT_SECONDS = 300;
const MAX_WAIT_SECONDS = 86_400;

/** The --wait option of the commands that wait for a delivery. */
export const WAIT_OPTION = { wait: { type: 'string' } } as const;
export const WAIT_HELP = `  --wait SECONDS    how long to wait for the delivery (default ${DEFAULT_WAIT_SECONDS}); the message stays
                    queued when the time is up (exit 1)`;

/** --wait SECONDS as milliseconds. */
export function waitOption(command: string, value: string | undefined): number {
  return (integerOption(command, 'wait', value, 1, MAX_WAIT_SECONDS) ?? DEFAULT_WAIT_SECONDS) * 1_000;
}

/** The wait ended before there was an outcome: the error to report and what the document adds. */
export interface WaitTimedOut {
  timedOut: MailroomError;
  document: Record<string, unknown>;
}

export function isTimedOut(value: unknown): value is WaitTimedOut {
  return typeof value === 'object' && value !== null && 'timedOut' in value;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** Who the command is waiting for, and who sends the message later, in words. */
async function waitingFor(outbox: Outbox): Promise<{ what: string; later: string }> {
  const pid = outbox.delivering ? undefined : await deliveryLockHolder(outbox.directory);
  if (pid === undefined) {
    return {
      what: outbox.delivering ? 'the mail server to take it' : 'a Mailroom process to deliver it',
      later: 'will be sent by the app or by the next mailroom outbox flush',
    };
  }
  return {
    what: `the Mailroom process that delivers this profile’s outbox (the app or another command, pid ${pid}) to deliver it`,
    later:
      'will be sent by that process when it next looks at the outbox (the app does every 30 s), or by the app or mailroom outbox flush later',
  };
}

function stillQueued(
  entry: OutboxEntry | undefined,
  id: string,
  waiting: { what: string; later: string },
  waitedMs: number,
): WaitTimedOut {
  const subject = entry ? `“${entry.subject || '(no subject)'}”` : `message ${id}`;
  return {
    timedOut: {
      code: 'OUTBOX_WAIT_TIMEOUT',
      message: `Stopped waiting after ${seconds(waitedMs)}: still waiting for ${waiting.what} (${subject}, id ${id}, ${entry?.state ?? 'queued'}).`,
      hint: `The message is queued and ${waiting.later}; mailroom outbox list shows its state, mailroom outbox cancel ${id} drops it. Use --wait SECONDS to wait longer.`,
    },
    document: { outboxId: id, ...(entry ? { messageId: entry.messageId, state: entry.state } : {}) },
  };
}

/**
 * Waits until the entry has an outcome, for at most `timeoutMs`. When this process delivers, it
 * watches the outbox in memory; when another process holds the delivery lock, it reads the entry's
 * file until that process has delivered it, and takes over delivery itself if that process quits.
 * `onChange` sees every state on the way (for progress).
 */
export async function waitForOutcome(
  outbox: Outbox,
  id: string,
  attemptsBefore: number,
  onChange: (entry: OutboxEntry) => void = () => undefined,
  timeoutMs = DEFAULT_WAIT_SECONDS * 1_000,
): Promise<OutboxEntry | undefined | WaitTimedOut> {
  const started = Date.now();
  for (;;) {
    const entry = await outbox.current(id);
    if (!entry) return undefined;
    onChange(entry);
    if (hasOutcome(entry, attemptsBefore)) return entry;
    const left = started + timeoutMs - Date.now();
    if (left <= 0) return stillQueued(entry, id, await waitingFor(outbox), timeoutMs);
    if (outbox.delivering) await outbox.nextChange(Math.min(OWN_POLL_MS, left));
    else {
      await sleep(Math.min(FOREIGN_POLL_MS, left));
      // The deliverer quit: deliver it here rather than wait for a process that is gone.
      if ((await deliveryLockHolder(outbox.directory)) === undefined) await outbox.takeOverDelivery();
    }
  }
}

function due(outbox: Outbox, entry: OutboxEntry, now: number, deadline: number): boolean {
  if (entry.state !== 'queued') return false;
  const readyAt = Math.max(
    entry.holdUntil ? Date.parse(entry.holdUntil) : 0,
    entry.nextAttemptAt ? Date.parse(entry.nextAttemptAt) : 0,
  );
  // A mail-merge row goes at its job's pace: worth waiting for only if its turn comes within the
  // wait; a paused job's rows are not due at all.
  return readyAt <= now && outbox.pacedUntil(entry) <= deadline;
}

/** Mail-merge rows still queued because their job is paused or paced past now. */
export async function pacedRows(outbox: Outbox): Promise<OutboxEntry[]> {
  const now = Date.now();
  return (await outbox.list('outbox')).filter(
    (e) => e.state === 'queued' && e.merge !== undefined && outbox.pacedUntil(e) > now,
  );
}

/**
 * Waits, for at most `timeoutMs`, until nothing is being sent and nothing due is left (held and
 * backed-off messages wait, and so do mail-merge rows whose pace comes after the wait). Only a
 * delivering outbox gets there.
 */
export async function waitUntilIdle(
  outbox: Outbox,
  timeoutMs = DEFAULT_WAIT_SECONDS * 1_000,
): Promise<true | WaitTimedOut> {
  const started = Date.now();
  for (;;) {
    const now = Date.now();
    const left = (await outbox.list('outbox')).filter(
      (e) => e.state === 'sending' || due(outbox, e, now, started + timeoutMs),
    );
    if (left.length === 0) return true;
    const remaining = started + timeoutMs - now;
    if (remaining <= 0) {
      return {
        timedOut: {
          code: 'OUTBOX_WAIT_TIMEOUT',
          message: `Stopped waiting after ${seconds(timeoutMs)}: ${left.length} message(s) still waiting for the mail server (${left.filter((e) => e.state === 'sending').length} being sent).`,
          hint: 'They stay queued and are sent by the app or the next mailroom outbox flush; mailroom outbox list shows them. Use --wait SECONDS to wait longer.',
        },
        document: { waiting: left.map((e) => ({ id: e.id, messageId: e.messageId, state: e.state })) },
      };
    }
    await outbox.nextChange(Math.min(OWN_POLL_MS, remaining));
  }
}

/**
 * Waits until no message is on the wire, for at most `timeoutMs` (closing the outbox then cuts what
 * is left, and such a message goes back to the queue).
 */
export async function waitUntilNothingSending(outbox: Outbox, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await outbox.list('outbox')).some((e) => e.state === 'sending')) {
    const left = deadline - Date.now();
    if (left <= 0) return;
    await outbox.nextChange(Math.min(OWN_POLL_MS, left));
  }
}
