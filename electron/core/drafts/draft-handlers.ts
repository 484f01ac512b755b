import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { DraftStore } from './draft-store';
import { RecipientBook } from './recipient-book';
import { ServerLimitsCache } from './server-limits';

export type DraftChannel =
  | 'createDraft'
  | 'getDraft'
  | 'saveDraft'
  | 'listDrafts'
  | 'discardDraft'
  | 'completeDraft'
  | 'addDraftAttachments'
  | 'removeDraftAttachment'
  | 'suggestRecipients'
  | 'getServerLimits';

/**
 * Compose's share of the contract. The host-specific channels (openComposeWindow, pickAttachments)
 * are bound by each host; a host's picker hands the chosen paths to addDraftAttachments.
 */
export function draftHandlers({ profileDir, accounts }: CoreServices): HandlerGroup<DraftChannel> {
  const drafts = new DraftStore(profileDir);
  const book = new RecipientBook(profileDir);
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
    async completeDraft({ id, recipients }) {
      await book.remember(recipients);
      return drafts.discard(id);
    },
    async addDraftAttachments({ draftId, paths }) {
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
