import type { MailroomError } from '../../../shared/result';

/** How a server says "you are sending too fast / too much", as data: each rule is small and tested. */
interface ThrottleRule {
  /** The reply codes it applies to. */
  codes: (code: number) => boolean;
  /** Words in the reply (with its enhanced status code). */
  words: RegExp;
  /** A quota for the day: nothing more goes for a day, not just for a while. */
  daily: boolean;
}

const RULES: readonly ThrottleRule[] = [
  // Gmail "550 5.4.5 Daily user sending limit exceeded", Outlook.com "554 5.2.0 ... sending quota".
  {
    codes: (c) => c >= 500,
    words: /(daily|day)\b.*\b(limit|quota)|sending (limit|quota)|quota exceeded|\b5\.4\.5\b/i,
    daily: true,
  },
  // 421 is how servers say "not now, slow down" (and close the connection): any 421 counts.
  { codes: (c) => c === 421, words: /[\s\S]*/, daily: false },
  // 450/451/452 4.7.x "too many messages", "rate limit", "try again later".
  {
    codes: (c) => c === 450 || c === 451 || c === 452,
    words: /\b4\.7\.\d+\b|too many|rate limit|throttl|slow down|limit exceeded/i,
    daily: false,
  },
];

export interface Throttle {
  daily: boolean;
  reply: string;
}

/** Whether a failed attempt was the server pushing back on volume, and how hard. */
export function throttleOf(error: MailroomError): Throttle | undefined {
  const code = error.details?.['responseCode'];
  if (typeof code !== 'number') return undefined;
  const reply = String(error.details?.['serverResponse'] ?? error.message);
  const enhanced = String(error.details?.['enhancedStatus'] ?? '');
  const text = `${enhanced} ${reply}`;
  const rule = RULES.find((r) => r.codes(code) && r.words.test(text));
  return rule ? { daily: rule.daily, reply } : undefined;
}
