import { useState, type DragEvent } from 'react';
import type { DraftAttachment } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

/** A draft's attachments: attach (picked or dropped), remove, and what went wrong doing so. */
export function useDraftAttachments(draftId: string, initial: DraftAttachment[]) {
  const [attachments, setAttachments] = useState<DraftAttachment[]>(initial);
  const [attaching, setAttaching] = useState(false);
  const [attachError, setAttachError] = useState<MailroomError | null>(null);

  async function attach(files?: File[]) {
    setAttaching(true);
    setAttachError(null);
    const result = files
      ? await mailroom().attachDroppedFiles({ draftId, files })
      : await mailroom().pickAttachments({ draftId });
    setAttaching(false);
    // A cancelled pick (or a drop of nothing attachable) carries no list: keep the one shown.
    if (result.ok) {
      if (!result.value.cancelled) setAttachments(result.value.attachments);
    } else setAttachError(result.error);
  }

  async function removeAttachment(attachment: DraftAttachment) {
    const result = await mailroom().removeDraftAttachment({ draftId, attachmentId: attachment.id });
    if (result.ok) setAttachments(result.value.attachments);
    else setAttachError(result.error);
  }

  function onDrop(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    // The File objects go to the host as they are: Electron's preload resolves their paths (this page
    // never sees or names one); a plain browser cannot, so there a drop opens the host's picker.
    void attach(Array.from(event.dataTransfer.files));
  }

  return { attachments, attaching, attachError, attach, removeAttachment, onDrop };
}
