import { describe, expect, it } from 'vitest';
import type { MergePacing } from '../../../../shared/domain/mail-merge';
import {
  describeJobPace,
  describePreviewPace,
  describeThrottle,
  goingNow,
} from '../../../../renderer/src/merge/merge-pace-text';

const when = (iso: string) => `<${iso.slice(11, 16)}>`;

const gmail: MergePacing = {
  limits: {
    perMinute: null,
    perDay: 500,
    source: 'provider',
    providerName: 'Gmail',
    note: 'about 500 recipients a day for a personal account',
    sourceUrl: 'https://support.google.com/mail/answer/22839',
  },
  currentPerMinute: null,
  sentLast24h: 380,
  estimatedDoneAt: '2026-12-02T09:14:00.000Z',
  nextSendAt: undefined,
};

describe('the pace of a merge in words', () => {
  it('says how many go now under the daily limit and when the last of the rest goes', () => {
    expect(goingNow(gmail, 500)).toBe(120);
    expect(describePreviewPace(gmail, 500, when)).toBe(
      'Gmail allows about 500 recipients a day for a personal account: 120 go out now, the other 380 by <09:14>.',
    );
  });

  it('names the per-minute pace when all fit today, and the user’s own limits as theirs', () => {
    const own: MergePacing = {
      ...gmail,
      limits: { perMinute: 20, perDay: null, source: 'account' },
      currentPerMinute: 20,
      sentLast24h: 0,
      estimatedDoneAt: '2026-12-01T12:40:00.000Z',
    };
    expect(describePreviewPace(own, 124, when)).toBe(
      'You set this account to at most 20 a minute: all 124 go out by <12:40>.',
    );
  });

  it('says when none can go today, and that nothing is known when there is no limit', () => {
    const spent: MergePacing = { ...gmail, sentLast24h: 500, nextSendAt: '2026-12-02T08:00:00.000Z' };
    expect(describePreviewPace(spent, 3, when)).toBe(
      'Gmail allows about 500 recipients a day for a personal account: none can go now (500 messages sent in the last 24 hours), they go out from <08:00>, the last <09:14>.',
    );
    const none: MergePacing = {
      limits: { perMinute: null, perDay: null, source: 'none' },
      currentPerMinute: null,
      sentLast24h: 0,
    };
    expect(describePreviewPace(none, 3, when)).toBe(
      'No sending limit is known for this account: all 3 go out now.',
    );
  });

  it('describes a running job and a push-back from the server', () => {
    const slowed: MergePacing = {
      ...gmail,
      currentPerMinute: 10,
      nextSendAt: '2026-12-01T12:50:00.000Z',
      throttledUntil: '2026-12-01T12:50:00.000Z',
      throttleReply: '421 4.7.0 Too many messages, slow down',
    };
    expect(describeJobPace(slowed, 7, when)).toBe('10 a minute · next <12:50> · 7 to go, the last <09:14>');
    expect(describeThrottle(slowed, when)).toBe(
      'Slowed down after the server said: “421 4.7.0 Too many messages, slow down”. Nothing more goes before <12:50>.',
    );
    expect(describeThrottle(gmail, when)).toBeNull();
    const ownSlowed: MergePacing = {
      ...slowed,
      limits: { perMinute: 30, perDay: null, source: 'account' },
      currentPerMinute: 15,
    };
    expect(describeJobPace(ownSlowed, 2, when)).toBe(
      '15 a minute (slowed from 30) · next <12:50> · 2 to go, the last <09:14>',
    );
  });
});
