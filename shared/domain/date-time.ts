/**
 * A moment the way mail clients show it, in the user's locale and always with the day: "Today 07:59",
 * "Yesterday 18:02", "Monday 14:03" within the week around today (past or, for a scheduled send,
 * future), the full date beyond that ("Nov 3, 2026, 2:03 PM"). The one formatter for dates in every
 * host: Drafts, Outbox, Sent, compose's outcome, Accounts.
 */
export interface DateTimeContext {
  /** What "today" is; the current time unless a test or a caller pins it. */
  now?: Date | number;
  /** IANA zone to show the time in; the system's zone when absent. */
  timeZone?: string;
}

const DAY_MS = 86_400_000;
/** Within this many days of today the weekday names the day unambiguously. */
const WEEK_DAYS = 6;

export function formatDateTime(
  when: string | Date | number,
  locale?: string,
  context: DateTimeContext = {},
): string {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return '';
  const { timeZone } = context;
  const now = context.now === undefined ? new Date() : new Date(context.now);
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(date);
  const days = calendarDay(date, timeZone) - calendarDay(now, timeZone);

  if (Math.abs(days) <= 1) {
    // Intl's own words for the day ("today", "heute", "aujourd’hui"), capitalised at the start.
    const word = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day');
    return `${capitalise(word, locale)} ${time}`;
  }
  if (Math.abs(days) <= WEEK_DAYS) {
    const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone }).format(date);
    return `${capitalise(weekday, locale)} ${time}`;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** Days since the epoch of the calendar date the moment falls on in the zone (not UTC's date). */
function calendarDay(date: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    timeZone,
  }).formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS);
}

function capitalise(word: string, locale: string | undefined): string {
  return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
}

/**
 * A calendar date alone, in the user's locale with the weekday ("Monday, 3 November 2026"): for
 * dates that have no meaningful time of day to the user, such as a certificate's validity.
 */
export function formatCalendarDate(when: string | Date | number, locale?: string, timeZone?: string): string {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone }).format(date);
}
