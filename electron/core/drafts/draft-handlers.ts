import { fail, ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { ServerLimitsCache } from './server-limits';

export type DraftChannel =
  | 'createDraft'
  | 'getDraft'
  | 'saveDraft'
  | 'listDrafts'
  | 'discardDraft'
  | 'addDraftAttachments'
  | 'removeDraftAttachment'
  | 'suggestRecipients'
  | 'getServerLimits';

/**
 * Compose's share of the contract. The host-specific channels (openComposeWindow, pickAttachments,
 * attachDroppedFiles) are bound by each host; a host grants the files the user chose and hands the
 * grants to addDraftAttachments, the only way a file joins a draft.
 */
export function draftHandlers({
  accounts,
  recipients: book,
  drafts,
  attachmentGrants,
}: CoreServices): HandlerGroup<DraftChannel> {
  const limits = new ServerLimitsCache(accounts);
  return {
    async createDraft(request) {
      return ok(await drafts.create(request));
    },
    async getDraft({ id }) {
      return drafts.get(id);
    },
    async saveDraft({ id, content }) {
      return drafts.save(id, content);
    },
    async listDrafts() {
      return ok({ drafts: await drafts.list() });
    },
    async discardDraft({ id }) {
      return drafts.discard(id);
    },
    async addDraftAttachments({ draftId, grants }) {
      const paths = attachmentGrants.takeAll(grants);
      if (!paths) {
        return fail({
          code: 'ATTACHMENT_NOT_GRANTED',
          message:
            'These files were not attached: Mailroom did not hand them to this window, or too long ago.',
          hint: 'Choose the files again with “Attach files…” or drop them on the message.',
        });
      }
      return drafts.addAttachments(draftId, paths);
    },
    async removeDraftAttachment({ draftId, attachmentId }) {
      return drafts.removeAttachment(draftId, attachmentId);
    },
    async suggestRecipients({ query, limit }) {
      return ok({ recipients: await book.suggest(query, limit) });
    },
    async getServerLimits({ accountId }) {
      return limits.limitsFor(accountId);
    },
  };
}
