import { ok } from '../../../shared/result';
import type { Handler } from '../ipc/dispatch';

/**
 * pickAttachments for any host: the host supplies its picker (Electron's open dialog, the browser
 * host's directory stand-in); the chosen paths go through addDraftAttachments, so the core stats the
 * files and the renderer only ever sees names and sizes.
 */
export function pickAttachmentsHandler(
  addDraftAttachments: Handler<'addDraftAttachments'>,
  pickPaths: () => Promise<string[] | null>,
): Handler<'pickAttachments'> {
  return async ({ draftId }, context) => {
    const paths = await pickPaths();
    if (!paths || paths.length === 0) return ok({ cancelled: true, attachments: [] });
    const added = await addDraftAttachments({ draftId, paths }, context);
    if (!added.ok) return added;
    return ok({ cancelled: false, attachments: added.value.attachments });
  };
}
