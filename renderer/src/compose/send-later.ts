/** The "Send later" presets, computed from now in the user's time zone (the calendar's 8:00). */
export interface SendLaterPreset {
  label: string;
  at: Date;
}

function atEight(day: Date): Date {
  const d = new Date(day);
  d.setHours(8, 0, 0, 0);
  return d;
}

export function sendLaterPresets(now: Date = new Date()): SendLaterPreset[] {
  const inAnHour = new Date(now.getTime() + 60 * 60 * 1000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  // The coming Monday; on a Monday, the one a week away (this morning's 8:00 may be gone).
  const monday = new Date(now);
  monday.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  return [
    { label: 'In 1 hour', at: inAnHour },
    { label: 'Tomorrow morning', at: atEight(tomorrow) },
    { label: 'Monday morning', at: atEight(monday) },
  ];
}

/** A datetime-local input's value ("2026-12-02T08:00") for a moment, in local time. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
