import { describe, expect, it } from 'vitest';
import { MergePacer, type ThrottleState } from '../../../electron/core/merge/merge-pacer';
import { throttleOf } from '../../../electron/core/merge/merge-throttle';
import type { EffectiveSendingLimits } from '../../../shared/domain/mail-merge';
import type { StoredEntry } from '../../../electron/core/outbox/outbox-store';
import type { MailroomError } from '../../../shared/result';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function setup(limits: Partial<EffectiveSendingLimits>, held = new Set<string>()) {
  const clock = { now: Date.parse('2026-12-01T08:00:00Z') };
  const throttles: ThrottleState[] = [];
  const pacer = new MergePacer({
    now: () => clock.now,
    limits: () => ({ perMinute: null, perDay: null, source: 'account', ...limits }),
    jobHeld: (jobId) => held.has(jobId),
    throttled: (_jobId, state) => throttles.push(state),
  });
  return { clock, pacer, throttles };
}

const row = (n: number, accountId = 'acct') =>
  ({ id: `e${n}`, accountId, merge: { jobId: 'merge-aaaaaaaa', row: n + 1 } }) as unknown as StoredEntry;
const single = { id: 'single', accountId: 'acct' } as unknown as StoredEntry;

const reply = (code: number, text: string, enhanced?: string): MailroomError => ({
  code: 'SERVER_TEMPORARY',
  message: text,
  details: {
    responseCode: code,
    serverResponse: `${code} ${text}`,
    ...(enhanced ? { enhancedStatus: enhanced } : {}),
  },
});

describe('merge pacing', () => {
  it('spreads a per-minute limit evenly and tells the outbox how long to wait', () => {
    const { clock, pacer } = setup({ perMinute: 20 });
    expect(pacer.delayFor(row(1))).toBe(0);
    expect(pacer.delayFor(row(2))).toBe(3_000);
    clock.now += 2_999;
    expect(pacer.delayFor(row(2))).toBe(1);
    clock.now += 1;
    expect(pacer.delayFor(row(2))).toBe(0);
  });

  it('stops at the day limit, counting other messages of the account, and goes on when the oldest is a day old', () => {
    const { clock, pacer } = setup({ perDay: 3 });
    expect(pacer.delayFor(single)).toBe(0);
    clock.now += MINUTE;
    expect(pacer.delayFor(row(1))).toBe(0);
    expect(pacer.delayFor(row(2))).toBe(0);
    expect(pacer.delayFor(row(3))).toBe(DAY - MINUTE);
    // A message the user sends meanwhile is never held, only counted.
    expect(pacer.delayFor(single)).toBe(0);
    clock.now += DAY - MINUTE;
    expect(pacer.delayFor(row(3))).toBe(MINUTE);
    clock.now += MINUTE;
    expect(pacer.delayFor(row(3))).toBe(0);
  });

  it('counts what the sent history says went out before a restart', () => {
    const { clock, pacer } = setup({ perDay: 2 });
    pacer.seed('acct', [clock.now - DAY - 1, clock.now - 1000, clock.now - 500]);
    expect(pacer.delayFor(row(1))).toBe(DAY - 1000);
  });

  it('holds a paused job entirely, and other accounts are paced apart', () => {
    const held = new Set(['merge-aaaaaaaa']);
    const { pacer } = setup({ perMinute: 1 }, held);
    expect(pacer.delayFor(row(1))).toBe(Infinity);
    held.clear();
    expect(pacer.delayFor(row(1))).toBe(0);
    expect(pacer.delayFor(row(2, 'other'))).toBe(0);
  });

  it('slows down and holds the job after "421 too many messages" instead of failing it', () => {
    const { clock, pacer, throttles } = setup({ perMinute: 20 });
    expect(pacer.delayFor(row(1))).toBe(0);
    expect(pacer.requeueAfter(row(1), reply(421, '4.7.0 Too many messages, slow down', '4.7.0'))).toBe(true);
    expect(throttles).toMatchObject([{ perMinute: 10, until: clock.now + MINUTE, strikes: 1 }]);
    // A second in-flight message with the same reply does not halve the pace again.
    expect(pacer.requeueAfter(row(2), reply(421, '4.7.0 Too many messages'))).toBe(true);
    expect(throttles.at(-1)).toMatchObject({ perMinute: 10 });
    expect(pacer.delayFor(row(1))).toBe(MINUTE);
    clock.now += MINUTE;
    expect(pacer.delayFor(row(1))).toBe(0);
    expect(pacer.delayFor(row(2))).toBe(6_000);
    const status = pacer.status('acct', 3, false);
    expect(status.currentPerMinute).toBe(10);
    expect(status.throttleReply).toMatch(/Too many messages/);
    // A single message keeps the outbox's usual retry.
    expect(pacer.requeueAfter(single, reply(421, 'busy'))).toBe(false);
  });

  it('after a push-back has been waited out, doubles back to the limit every 10 minutes without another one', () => {
    const { clock, pacer } = setup({ perMinute: 20 });
    expect(pacer.delayFor(row(1))).toBe(0);
    pacer.requeueAfter(row(1), reply(421, '4.7.0 Too many messages', '4.7.0'));
    clock.now += MINUTE; // the hold is over: 10 a minute
    expect(pacer.status('acct', 5, false)).toMatchObject({ currentPerMinute: 10, throttleReply: /Too many/ });
    clock.now += 9 * MINUTE;
    expect(pacer.status('acct', 5, false).currentPerMinute).toBe(10);
    clock.now += MINUTE; // 10 minutes without a push-back: back at the limit, the server's words gone
    const recovered = pacer.status('acct', 5, false);
    expect(recovered.currentPerMinute).toBe(20);
    expect(recovered.throttleReply).toBeUndefined();
    expect(pacer.delayFor(row(2))).toBe(0);
    expect(pacer.delayFor(row(3))).toBe(3_000);
  });

  it('recovers step by step from a hard slow-down (unpaced account)', () => {
    const { clock, pacer } = setup({});
    pacer.requeueAfter(row(1), reply(451, '4.7.1 Too many messages, slow down', '4.7.1'));
    pacer.requeueAfter(row(1), reply(451, '4.7.1 Too many messages, slow down', '4.7.1')); // same hold
    clock.now += MINUTE;
    expect(pacer.status('acct', 1, false).currentPerMinute).toBe(30);
    clock.now += 10 * MINUTE;
    // Doubled to 60, which is as fast as an account without limits is paced after a push-back: unpaced.
    expect(pacer.status('acct', 1, false).currentPerMinute).toBeNull();
  });

  it('holds for a day after a daily quota reply', () => {
    const { clock, pacer } = setup({});
    pacer.delayFor(row(1));
    expect(pacer.requeueAfter(row(1), reply(550, '5.4.5 Daily user sending limit exceeded.', '5.4.5'))).toBe(
      true,
    );
    expect(pacer.delayFor(row(1))).toBe(DAY);
    expect(pacer.status('acct', 1, false).throttledUntil).toBe(new Date(clock.now + DAY).toISOString());
  });

  it('says when the rest will have gone out', () => {
    const { clock, pacer } = setup({ perMinute: 10, perDay: 25 });
    const status = pacer.status('acct', 30, false);
    expect(status.nextSendAt).toBeUndefined();
    // 25 today (one every 6 s, the first now), the other 5 a day after the first ones.
    expect(Date.parse(status.estimatedDoneAt!) - clock.now).toBe(DAY + 4 * 6_000);
    expect(pacer.status('acct', 0, false).estimatedDoneAt).toBeUndefined();
  });

  it('lays out a long list at once (the Outbox asks on every change)', () => {
    const { clock, pacer } = setup({ perDay: 500 });
    const started = performance.now();
    const status = pacer.status('acct', 20_000, false);
    expect(performance.now() - started).toBeLessThan(500);
    expect(Date.parse(status.estimatedDoneAt!) - clock.now).toBe(39 * DAY);
  });
});

describe('recognising "too many messages"', () => {
  it.each([
    [421, '4.7.0 Try again later, closing connection.', '4.7.0', false],
    [421, 'Service not available', undefined, false],
    [450, '4.7.1 Rate limit exceeded', '4.7.1', false],
    [452, 'Too many recipients received this hour', undefined, false],
    [550, '5.4.5 Daily user sending limit exceeded.', '5.4.5', true],
    [554, '5.2.0 Sending quota exceeded', undefined, true],
  ])('%i %s', (code, text, enhanced, daily) => {
    expect(throttleOf(reply(code, text, enhanced))).toEqual({ daily, reply: `${code} ${text}` });
  });

  it.each([
    [451, '4.3.0 Temporary lookup failure'],
    [454, '4.7.0 TLS not available due to local problem'],
    [550, '5.1.1 User unknown'],
    [535, '5.7.8 Username and Password not accepted'],
  ])('not %i %s', (code, text) => {
    expect(throttleOf(reply(code, text))).toBeUndefined();
  });
});
