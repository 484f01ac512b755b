import { useState, type DragEvent } from 'react';
import type { DraftAttachment } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

/** A draft's attachments: attach (picked or dropped), remove, and what went wrong doing so. */
export function useDraftAttachments(draftId: string, initial: DraftAttachment[]) {
  const [attachments, setAttachments] = useState<DraftAttachment[]>(initial);
  const [attaching, setAttaching] = useState(false);
  const [attachError, setAttachError] = useState<MailroomError | null>(null);

  async function attach(paths?: string[]) {
    setAttaching(true);
    setAttachError(null);
    const result = paths
      ? await mailroom().addDraftAttachments({ draftId, paths })
      : await mailroom().pickAttachments({ draftId });
    setAttaching(false);
    if (result.ok) setAttachments(result.value.attachments);
    else setAttachError(result.error);
  }

  async function removeAttachment(attachment: DraftAttachment) {
    const result = await mailroom().removeDraftAttachment({ draftId, attachmentId: attachment.id });
    if (result.ok) setAttachments(result.value.attachments);
    else setAttachError(result.error);
  }

  function onDrop(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    const resolve = window.mailroom.pathForDroppedFile;
    const files = Array.from(event.dataTransfer.files);
    // Electron's preload turns a dropped File into its path; a plain browser cannot, so there a drop
    // opens the host's picker instead. Either way only paths reach the core, never file contents.
    const paths = resolve ? files.map((f) => resolve(f)).filter((p) => p !== '') : [];
    void attach(paths.length ? paths : undefined);
  }

  return { attachments, attaching, attachError, attach, removeAttachment, onDrop };
}
