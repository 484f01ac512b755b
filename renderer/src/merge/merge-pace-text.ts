import type { EffectiveSendingLimits, MergePacing } from '../../../shared/domain/mail-merge';
import { formatDateTime } from '../../../shared/domain/date-time';

type When = (iso: string) => string;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "20 a minute and 500 a day", or null when there is no limit. */
export function limitWords(limits: Pick<EffectiveSendingLimits, 'perMinute' | 'perDay'>): string | null {
  const parts = [
    ...(limits.perMinute !== null ? [`${limits.perMinute} a minute`] : []),
    ...(limits.perDay !== null ? [`${limits.perDay} a day`] : []),
  ];
  return parts.length ? parts.join(' and ') : null;
}

/** Who sets the pace, in words: "Gmail allows about 500 recipients a day", "You allow this account 100 a day". */
export function limitSource(limits: EffectiveSendingLimits): string | null {
  const words = limitWords(limits);
  if (limits.source === 'provider') {
    const who = limits.providerName ?? 'The provider';
    return limits.note ? `${who} allows ${limits.note}` : words ? `${who} allows ${words}` : null;
  }
  if (limits.source === 'account' && words) return `You set this account to at most ${words}`;
  return null;
}

/**
 * How many of `count` messages may go out now: the day's allowance left (perDay less what the
 * account sent in the last 24 hours), or all of them when there is no daily limit.
 */
export function goingNow(pacing: MergePacing, count: number): number {
  const { perDay } = pacing.limits;
  if (perDay === null) return count;
  return Math.max(0, Math.min(count, perDay - pacing.sentLast24h));
}

/**
 * The pace of a merge about to start, in one sentence as the preview shows it: who limits the
 * account, how many go now and when the last of the rest goes ("Gmail allows about 500 recipients
 * a day: 120 go out now, the other 380 by Tomorrow 09:14.").
 */
export function describePreviewPace(pacing: MergePacing, count: number, when: When = formatDateTime): string {
  const source = limitSource(pacing.limits);
  const now = goingNow(pacing, count);
  const rate = pacing.currentPerMinute;
  const last = pacing.estimatedDoneAt ? when(pacing.estimatedDoneAt) : '';
  let schedule: string;
  if (count === 0) schedule = 'nothing would go out';
  else if (now === count) {
    const all = count === 1 ? 'it goes' : `all ${count} go`;
    // The pace is already named by the limit; it is said again only when the server slowed it.
    const slowed = rate !== null && rate !== pacing.limits.perMinute ? ` at ${rate} a minute` : '';
    schedule =
      last && (rate !== null || pacing.nextSendAt) ? `${all} out${slowed} by ${last}` : `${all} out now`;
  } else if (now === 0) {
    const next = pacing.nextSendAt ? ` from ${when(pacing.nextSendAt)}` : ' later';
    schedule = `none can go now (${plural(pacing.sentLast24h, 'message')} sent in the last 24 hours), they go out${next}${last ? `, the last ${last}` : ''}`;
  } else {
    schedule = `${now} go out now, the other ${count - now}${last ? ` by ${last}` : ' later'}`;
  }
  if (!source) return `No sending limit is known for this account: ${schedule}.`;
  return `${source}: ${schedule}.`;
}

/** A running job's pace in a few words, for its row in the Outbox. */
export function describeJobPace(pacing: MergePacing, remaining: number, when: When = formatDateTime): string {
  if (remaining === 0) return '';
  const parts: string[] = [];
  const rate = pacing.currentPerMinute;
  const limit = pacing.limits.perMinute;
  if (rate !== null)
    parts.push(`${rate} a minute${limit !== null && rate < limit ? ` (slowed from ${limit})` : ''}`);
  if (pacing.nextSendAt) parts.push(`next ${when(pacing.nextSendAt)}`);
  if (pacing.estimatedDoneAt) parts.push(`${remaining} to go, the last ${when(pacing.estimatedDoneAt)}`);
  return parts.join(' · ');
}

/** "Slowed down after the server said: …", while a push-back still holds the job. */
export function describeThrottle(pacing: MergePacing, when: When = formatDateTime): string | null {
  if (!pacing.throttleReply) return null;
  const until = pacing.throttledUntil ? ` Nothing more goes before ${when(pacing.throttledUntil)}.` : '';
  return `Slowed down after the server said: “${pacing.throttleReply}”.${until}`;
}
