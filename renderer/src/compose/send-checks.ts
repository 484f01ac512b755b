import type { DraftAttachment, Recipient } from '../../../shared/domain/drafts';
import { DEFAULT_SIZE_WARNING_BYTES, encodedSize } from '../../../shared/domain/compose';
import { formatBytes } from '../../../shared/domain/byte-size';

/** What blocks sending, said next to the disabled Send button; null when nothing does. */
export function sendBlocker(
  hasFrom: boolean,
  to: Recipient[],
  problems: { reason: string }[],
  attachments: DraftAttachment[],
): string | null {
  const missing = attachments.find((a) => !a.present);
  return !hasFrom
    ? 'Add an account to send from.'
    : to.length === 0
      ? 'Add at least one recipient in To.'
      : problems[0]
        ? problems[0].reason
        : missing
          ? `“${missing.name}” is no longer where it was attached. Remove it or attach it again.`
          : null;
}

/** A warning (not a blocker) when the attachments are likely to be refused for their size. */
export function attachmentSizeWarning(
  attachments: DraftAttachment[],
  sizeLimitBytes: number | null,
): string | null {
  const totalBytes = attachments.reduce((sum, a) => sum + a.size, 0);
  const estimated = encodedSize(totalBytes);
  return sizeLimitBytes !== null && estimated > sizeLimitBytes
    ? `The attachments come to ${formatBytes(totalBytes)}, about ${formatBytes(estimated)} once encoded for mail: more than the ${formatBytes(sizeLimitBytes)} your server accepts. The server will refuse this message; share large files by link instead.`
    : totalBytes > DEFAULT_SIZE_WARNING_BYTES
      ? `The attachments come to ${formatBytes(totalBytes)}. Many mail servers refuse messages over 25 MB; the recipient’s may too. Consider sharing large files by link.`
      : null;
}

/**
 * Words that say something is attached, in English, German and French. Whole words only ("Anhang",
 * not "Anhänger"); quoted lines and the signature are not the user's words for this message.
 */
const ATTACHMENT_WORDS =
  /(?<![\p{L}\p{N}])(attached|attachments?|enclosed|angehängt|anhang|anbei|pièces? jointes?|ci-joints?|ci-jointes?)(?![\p{L}\p{N}])/iu;

/** The user's own lines: no quoted lines, nothing below the signature separator ("-- "). */
function ownWords(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const signature = lines.findIndex((line) => line === '-- ' || line === '--');
  return (signature >= 0 ? lines.slice(0, signature) : lines)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
}

export type Reminder = { kind: 'no-subject' } | { kind: 'no-attachment'; word: string };

/** What a user would want to be asked about before the message goes (each can be sent anyway). */
export function sendReminders(subject: string, bodyText: string, attachmentCount: number): Reminder[] {
  const reminders: Reminder[] = [];
  if (!subject.trim()) reminders.push({ kind: 'no-subject' });
  const word = attachmentCount === 0 ? ATTACHMENT_WORDS.exec(ownWords(bodyText))?.[1] : undefined;
  if (word) reminders.push({ kind: 'no-attachment', word });
  return reminders;
}

export function reminderText(reminder: Reminder): string {
  return reminder.kind === 'no-subject'
    ? 'This message has no subject.'
    : `The message says “${reminder.word}”, but nothing is attached.`;
}
