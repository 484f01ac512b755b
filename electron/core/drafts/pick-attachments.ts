import { ok } from '../../../shared/result';
import type { Handler } from '../ipc/dispatch';
import type { AttachmentGrants } from './attachment-grants';

/** What a host's attachment handlers are built from: the core's one way in, and its grants. */
export interface HostAttachments {
  addDraftAttachments: Handler<'addDraftAttachments'>;
  attachmentGrants: AttachmentGrants;
}

/**
 * Files the host itself vouches for (its picker's choice, a drop the preload resolved) join the draft
 * through grants and addDraftAttachments, so the core stats the files and the renderer only ever
 * sees names and sizes.
 */
async function attachChosen(
  { addDraftAttachments, attachmentGrants }: HostAttachments,
  draftId: string,
  paths: string[] | null,
  context: Parameters<Handler<'addDraftAttachments'>>[1],
) {
  if (!paths || paths.length === 0) return ok({ cancelled: true, attachments: [] });
  const grants = paths.map((path) => attachmentGrants.issue(path));
  const added = await addDraftAttachments({ draftId, grants }, context);
  if (!added.ok) return added;
  return ok({ cancelled: false, attachments: added.value.attachments });
}

/** pickAttachments for any host: the host supplies its picker (Electron's open dialog, the browser host's directory stand-in). */
export function pickAttachmentsHandler(
  host: HostAttachments,
  pickPaths: () => Promise<string[] | null>,
): Handler<'pickAttachments'> {
  return async ({ draftId }, context) => attachChosen(host, draftId, await pickPaths(), context);
}

/**
 * attachDroppedFiles where the paths come from the Electron preload, which resolved them from the
 * dropped File objects in its isolated world (the page cannot make a File that names another path).
 * A host that cannot resolve drops (the browser) binds pickAttachmentsHandler's picker instead and
 * never reads the request's paths.
 */
export function droppedFilesHandler(host: HostAttachments): Handler<'attachDroppedFiles'> {
  return async ({ draftId, paths }, context) => attachChosen(host, draftId, paths, context);
}

/** attachDroppedFiles for a host that cannot resolve a drop: the drop opens its picker; the paths are ignored. */
export function dropOpensPickerHandler(
  host: HostAttachments,
  pickPaths: () => Promise<string[] | null>,
): Handler<'attachDroppedFiles'> {
  return async ({ draftId }, context) => attachChosen(host, draftId, await pickPaths(), context);
}
