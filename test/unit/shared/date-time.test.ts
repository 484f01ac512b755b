import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatDateTime } from '../../../shared/domain/date-time';

// The one date formatter: the user's locale, and the day is always there (a bare "07:59:47 AM" in a
// list of sent mail says nothing about which day it was).

// Tuesday 1 December 2026, 10:30 in Berlin.
const now = new Date('2026-12-01T09:30:00Z');
const berlin = { now, timeZone: 'Europe/Berlin' };

describe('formatDateTime', () => {
  it('names today and yesterday in the locale’s own words, with the time', () => {
    expect(formatDateTime('2026-12-01T06:59:47Z', 'en-GB', berlin)).toBe('Today 07:59');
    expect(formatDateTime('2026-12-01T06:59:47Z', 'en-US', berlin)).toBe('Today 7:59 AM');
    expect(formatDateTime('2026-12-01T06:59:47Z', 'de-DE', berlin)).toBe('Heute 07:59');
    expect(formatDateTime('2026-11-30T17:02:00Z', 'en-GB', berlin)).toBe('Yesterday 18:02');
    expect(formatDateTime('2026-11-30T17:02:00Z', 'fr-FR', berlin)).toBe('Hier 18:02');
  });

  it('uses the calendar day of the zone, not of UTC', () => {
    // 23:30 UTC on 30 November is already 1 December in Berlin.
    expect(formatDateTime('2026-11-30T23:30:00Z', 'en-GB', berlin)).toBe('Today 00:30');
    // And 23:30 UTC on 1 December is tomorrow there.
    expect(formatDateTime('2026-12-01T23:30:00Z', 'en-GB', berlin)).toBe('Tomorrow 00:30');
  });

  it('names the weekday within the week around today, past or future (a scheduled send)', () => {
    expect(formatDateTime('2026-11-27T13:03:00Z', 'en-GB', berlin)).toBe('Friday 14:03');
    expect(formatDateTime('2026-11-27T13:03:00Z', 'de-DE', berlin)).toBe('Freitag 14:03');
    expect(formatDateTime('2026-12-04T08:00:00Z', 'en-GB', berlin)).toBe('Friday 09:00');
  });

  it('shows the full date beyond the week', () => {
    expect(formatDateTime('2026-11-03T13:03:00Z', 'en-US', berlin)).toBe('Nov 3, 2026, 2:03 PM');
    expect(formatDateTime('2026-11-03T13:03:00Z', 'de-DE', berlin)).toBe('03.11.2026, 14:03');
    expect(formatDateTime('2025-12-01T09:30:00Z', 'en-GB', berlin)).toBe('1 Dec 2025, 10:30');
  });

  it('takes Date objects and epoch numbers, and gives nothing for something that is not a date', () => {
    expect(formatDateTime(new Date('2026-12-01T06:59:47Z'), 'en-GB', berlin)).toBe('Today 07:59');
    expect(formatDateTime(Date.parse('2026-12-01T06:59:47Z'), 'en-GB', berlin)).toBe('Today 07:59');
    expect(formatDateTime('not a date', 'en-GB', berlin)).toBe('');
  });

  it('defaults to the current time and the system zone', () => {
    const text = formatDateTime(new Date(), 'en-GB');
    expect(text).toMatch(/^Today \d{2}:\d{2}$/);
  });
});

describe('formatCalendarDate (certificate validity)', () => {
  it('reads the date OpenSSL gives and shows it in the locale, with the weekday', () => {
    expect(formatCalendarDate('Nov  3 12:00:00 2026 GMT', 'en-GB', 'UTC')).toBe('Tuesday, 3 November 2026');
    expect(formatCalendarDate('Nov  3 12:00:00 2026 GMT', 'de-DE', 'UTC')).toBe('Dienstag, 3. November 2026');
  });
  it('leaves a date it cannot read as it came', () => {
    expect(formatCalendarDate('not a date', 'en-GB')).toBe('not a date');
  });
});
