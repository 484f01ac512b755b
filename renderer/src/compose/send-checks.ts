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
