import type { ComposeFields } from '../../../shared/domain/outbox';
import type { ReopenFields } from '../../../shared/ipc/contract';
import type { AttachmentGrants } from './attachment-grants';

/**
 * A message's fields for compose to reopen, with each attachment's path (written by the core when
 * the message was queued) swapped for a fresh grant: the page re-attaches it without ever naming it.
 */
export function reopenFields(fields: ComposeFields, grants: AttachmentGrants): ReopenFields {
  return {
    ...fields,
    attachments: fields.attachments.map((a) => ({
      grant: grants.issue(a.path),
      ...(a.filename !== undefined ? { filename: a.filename } : {}),
    })),
  };
}
