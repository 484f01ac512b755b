import type { ComposeFields } from '../../../shared/domain/outbox';
import type { BuiltMessage, FileDigest, SenderIdentity } from './message-file';
import type { StoredEntry } from './outbox-store';
import type { EnqueueRequest } from './outbox-types';
import { iso } from './timestamps';

/** What cancelling changes in an entry: nothing more is tried, and no wait or hold is left to show. */
export const CANCELLED = {
  state: 'cancelled',
  nextAttemptAt: undefined,
  holdUntil: undefined,
  holdReason: undefined,
} as const satisfies Partial<StoredEntry>;

/** The fields as typed, kept in the entry so Edit and Undo can return them to compose. */
export function composeFieldsOf(request: EnqueueRequest): ComposeFields {
  return {
    accountId: request.accountId,
    ...(request.identityId ? { identityId: request.identityId } : {}),
    to: request.to,
    cc: request.cc,
    bcc: request.bcc,
    subject: request.subject,
    text: request.text,
    ...(request.html !== undefined ? { html: request.html } : {}),
    attachments: request.attachments,
    ...(request.displayNames && Object.keys(request.displayNames).length
      ? { displayNames: request.displayNames }
      : {}),
  };
}

/** The entry for a message just written to disk, held for send-later or the undo window if any. */
export function queuedEntry(
  id: string,
  request: EnqueueRequest,
  fields: ComposeFields,
  identity: SenderIdentity,
  built: BuiltMessage,
  now: number,
  undoDelay: number,
): StoredEntry {
  const sendAt = request.sendAt ? Date.parse(request.sendAt) : undefined;
  const hold =
    sendAt !== undefined && sendAt > now
      ? { holdUntil: iso(sendAt), holdReason: 'scheduled' as const }
      : undoDelay > 0
        ? { holdUntil: iso(now + undoDelay), holdReason: 'undo' as const }
        : {};
  return {
    version: 1,
    id,
    accountId: request.accountId,
    ...(request.identityId ? { identityId: request.identityId } : {}),
    messageId: built.messageId,
    state: 'queued',
    from: identity.name ? `${identity.name} <${identity.address}>` : identity.address,
    to: request.to,
    cc: request.cc,
    bcc: request.bcc,
    subject: request.subject,
    size: built.size,
    sha256: built.sha256,
    createdAt: iso(now),
    updatedAt: iso(now),
    ...hold,
    attempts: 0,
    hasMessageFile: true,
    envelope: built.envelope,
    draft: fields,
    ...(request.typed ? { typed: request.typed } : {}),
    ...(request.merge ? { merge: request.merge } : {}),
    queuedSince: hold.holdUntil ?? iso(now),
  };
}

/** A new entry for a resent copy: the source's content and draft, none of its delivery history. */
export function resentEntry(
  source: StoredEntry,
  id: string,
  messageId: string,
  copied: FileDigest,
  now: number,
): StoredEntry {
  const {
    lastError: _l,
    response: _r,
    recipients: _rc,
    sentAt: _s,
    lastAttemptAt: _la,
    resumedAfterCrash: _c,
    nextAttemptAt: _n,
    holdUntil: _h,
    holdReason: _hr,
    ...kept
  } = source;
  return {
    ...kept,
    id,
    messageId,
    state: 'queued',
    size: copied.size,
    sha256: copied.sha256,
    attempts: 0,
    createdAt: iso(now),
    updatedAt: iso(now),
    queuedSince: iso(now),
    hasMessageFile: true,
  };
}

/** A file name for Save as .eml from the subject, without characters no file system accepts. */
export function emlFileName(subject: string): string {
  // Control characters go too.
  const printable = [...(subject || 'message')].map((c) => (c.charCodeAt(0) < 32 ? ' ' : c)).join('');
  const safe =
    printable
      .replace(/[\\/:*?"<>|]+/g, ' ')
      .trim()
      .slice(0, 80) || 'message';
  return `${safe}.eml`;
}
