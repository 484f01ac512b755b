import type { EffectiveSendingLimits, MergePacing } from '../../../shared/domain/mail-merge';
import type { MailroomError } from '../../../shared/result';
import type { StoredEntry } from '../outbox/outbox-store';
import type { DeliveryPacing } from '../outbox/outbox-types';
import { throttleOf } from './merge-throttle';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The pace a job with no per-minute limit is slowed to (then halved again) when a server first pushes back. */
const RATE_WHEN_UNPACED = 60;
const THROTTLE_FIRST_MS = MINUTE;
const THROTTLE_CAP_MS = 15 * MINUTE;
/**
 * After a push-back has been waited out, the pace doubles back every this long without another
 * one, until it is at the limit again: one "too many messages" does not slow the rest of a long
 * list for good.
 */
const RECOVERY_STEP_MS = 10 * MINUTE;

/** What a "too many messages" reply left: a lower pace, nothing before `until`. Kept in the job's manifest. */
export interface ThrottleState {
  perMinute: number;
  /** Time in ms since the epoch (the pacer's clock). */
  until: number;
  reply: string;
  strikes: number;
}

export interface PacerHost {
  /** The clock every pacing decision is made by (tests move it by hand). */
  now(): number;
  limits(accountId: string): EffectiveSendingLimits;
  /** A paused or cancelled job: none of its entries starts. */
  jobHeld(jobId: string): boolean;
  /** A cancelled job: a row of it that comes back from the wire undelivered is cancelled with it. */
  jobCancelled?(jobId: string): boolean;
  /** False until the jobs on disk are read (jobHeld holds every job until then). */
  jobsRead?(): boolean;
  /** A row whose earlier rows are still being queued: it waits for them (rows go in row order). */
  rowWaiting?(merge: { jobId: string; row: number }): boolean;
  /** A job's account was slowed down: remembered with the job, so a restart keeps the lower pace. */
  throttled(jobId: string, state: ThrottleState): void;
}

interface AccountPace {
  /** Starts of messages from the account in the last day, oldest first (what counts against perDay). */
  starts: number[];
  lastMergeStart: number;
  throttle?: ThrottleState | undefined;
}

/**
 * Paces mail-merge entries per account, so a job stays under the account's limits: at most perMinute
 * (spread evenly, one every 60/perMinute seconds, not in bursts) and perDay in any 24 hours, counting
 * every message the account sent, merge or not. Other messages are never held, only counted. A
 * "too many messages" reply (421, 4.7.x) halves the pace and holds the account's merge entries for
 * a while (a day after a daily quota reply) instead of failing them.
 *
 * The outbox asks delayFor() for each entry it could start; every decision uses the injected clock.
 */
export class MergePacer implements DeliveryPacing {
  private readonly accounts = new Map<string, AccountPace>();
  private reschedule: () => void = () => undefined;

  constructor(private readonly host: PacerHost) {}

  onChange(reschedule: () => void): void {
    this.reschedule = reschedule;
  }

  /** Something pacing depends on changed (a job resumed, limits set, the clock moved): the outbox looks again. */
  changed(): void {
    this.reschedule();
  }

  private pace(accountId: string): AccountPace {
    let pace = this.accounts.get(accountId);
    if (!pace) this.accounts.set(accountId, (pace = { starts: [], lastMergeStart: -Infinity }));
    return pace;
  }

  private trim(pace: AccountPace, now: number): void {
    let drop = 0;
    while (drop < pace.starts.length && pace.starts[drop]! <= now - DAY) drop++;
    if (drop) pace.starts.splice(0, drop);
  }

  /** Messages the account sent before this process started (its sent history), so a restart does not reset the day. */
  seed(accountId: string, times: readonly number[], lastMergeStart = -Infinity): void {
    const pace = this.pace(accountId);
    pace.lastMergeStart = Math.max(pace.lastMergeStart, lastMergeStart);
    pace.starts = [...pace.starts, ...times].sort((a, b) => a - b);
    this.trim(pace, this.host.now());
  }

  /** A lower pace a job remembered from before a restart. */
  restoreThrottle(accountId: string, state: ThrottleState): void {
    const pace = this.pace(accountId);
    if (!pace.throttle || pace.throttle.perMinute > state.perMinute) pace.throttle = state;
  }

  /** The pace a push-back left the account at, recovered by `at`; null once it is back at the limit. */
  private slowedRate(pace: AccountPace, limits: EffectiveSendingLimits, at: number): number | null {
    const throttle = pace.throttle;
    if (!throttle) return null;
    if (at <= throttle.until) return throttle.perMinute;
    const steps = Math.min(20, Math.floor((at - throttle.until) / RECOVERY_STEP_MS));
    const recovered = throttle.perMinute * 2 ** steps;
    return recovered >= (limits.perMinute ?? RATE_WHEN_UNPACED) ? null : recovered;
  }

  private rate(pace: AccountPace, limits: EffectiveSendingLimits, at: number): number | null {
    const own = limits.perMinute;
    const slowed = this.slowedRate(pace, limits, at);
    if (own === null) return slowed;
    return slowed === null ? own : Math.min(own, slowed);
  }

  /** The earliest time the next merge message may start, given what has gone before. */
  private nextAt(
    pace: AccountPace,
    limits: EffectiveSendingLimits,
    starts: readonly number[],
    last: number,
    from: number,
  ): number {
    let at = from;
    if (pace.throttle && pace.throttle.until > at) at = pace.throttle.until;
    const rate = this.rate(pace, limits, at);
    if (rate) at = Math.max(at, last + MINUTE / rate);
    if (limits.perDay !== null && starts.length >= limits.perDay) {
      at = Math.max(at, starts[starts.length - limits.perDay]! + DAY);
    }
    return at;
  }

  delayFor(entry: StoredEntry): number {
    const now = this.host.now();
    const pace = this.pace(entry.accountId);
    this.trim(pace, now);
    if (entry.merge) {
      if (this.host.jobHeld(entry.merge.jobId) || this.host.rowWaiting?.(entry.merge)) return Infinity;
      const limits = this.host.limits(entry.accountId);
      const wait = this.nextAt(pace, limits, pace.starts, pace.lastMergeStart, now) - now;
      if (wait > 0) return wait;
      pace.lastMergeStart = now;
    }
    pace.starts.push(now);
    return 0;
  }

  startsAt(entry: Pick<StoredEntry, 'accountId' | 'merge'>): number {
    if (!entry.merge) return 0;
    // Not read yet is not paused: a waiting command should wait for the answer, not give up.
    if (this.host.jobsRead?.() === false) return this.host.now();
    if (this.host.jobHeld(entry.merge.jobId)) return Infinity;
    const pace = this.pace(entry.accountId);
    this.trim(pace, this.host.now());
    return this.nextAt(
      pace,
      this.host.limits(entry.accountId),
      pace.starts,
      pace.lastMergeStart,
      this.host.now(),
    );
  }

  withdrawn(entry: StoredEntry): boolean {
    return entry.merge !== undefined && this.host.jobCancelled?.(entry.merge.jobId) === true;
  }

  requeueAfter(entry: StoredEntry, error: MailroomError): boolean {
    const throttle = throttleOf(error);
    if (!throttle) return false;
    const now = this.host.now();
    const pace = this.pace(entry.accountId);
    // Several messages on the wire come back with the same push-back: slow down once for all of them.
    if (!pace.throttle || pace.throttle.until <= now) {
      const limits = this.host.limits(entry.accountId);
      const strikes =
        pace.throttle && now - pace.throttle.until < 10 * MINUTE ? pace.throttle.strikes + 1 : 1;
      const base = this.rate(pace, limits, now) ?? RATE_WHEN_UNPACED;
      pace.throttle = {
        perMinute: Math.max(1, Math.floor(base / 2)),
        until:
          now + (throttle.daily ? DAY : Math.min(THROTTLE_CAP_MS, THROTTLE_FIRST_MS * 2 ** (strikes - 1))),
        reply: throttle.reply,
        strikes,
      };
    }
    if (entry.merge) this.host.throttled(entry.merge.jobId, pace.throttle);
    // A single message keeps the outbox's usual retry; a merge row waits for the pace instead.
    return entry.merge !== undefined;
  }

  /** The pace a job on this account goes at, and when its `remaining` messages will have gone out. */
  status(accountId: string, remaining: number, held: boolean): MergePacing {
    const now = this.host.now();
    const pace = this.pace(accountId);
    this.trim(pace, now);
    const limits = this.host.limits(accountId);
    const rate = this.rate(pace, limits, now);
    const throttled = pace.throttle && pace.throttle.until > now ? pace.throttle : undefined;
    // The server's words stay shown while the pace is still below the limit because of them.
    const slowedBy = this.slowedRate(pace, limits, now) !== null ? pace.throttle : undefined;
    const base: MergePacing = {
      limits,
      currentPerMinute: rate,
      ...(throttled ? { throttledUntil: new Date(throttled.until).toISOString() } : {}),
      ...(slowedBy ? { throttleReply: slowedBy.reply } : {}),
      sentLast24h: pace.starts.length,
    };
    if (remaining === 0 || held) return base;
    // Lay the rest out one by one under the same rules delayFor() applies.
    const starts = [...pace.starts];
    let last = pace.lastMergeStart;
    let first = 0;
    for (let i = 0; i < remaining; i++) {
      const at = this.nextAt(pace, limits, starts, last, now);
      if (i === 0) first = at;
      // Older starts stay: nextAt looks only at the perDay-th latest, so the layout stays linear.
      starts.push(at);
      last = at;
    }
    return {
      ...base,
      ...(first > now ? { nextSendAt: new Date(first).toISOString() } : {}),
      estimatedDoneAt: new Date(last).toISOString(),
    };
  }
}
