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
export function draftHandlers(services: CoreServices): HandlerGroup<DraftChannel> {
  const { accounts, recipients: book, drafts, attachmentGrants } = services;
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
      const listed = await drafts.list();
      if (listed.length === 0) return ok({ drafts: listed });
      // A message sent from a draft is queued under the draft's id. A send cut short after its
      // message was queued and before its draft was removed leaves the draft behind: it was sent,
      // so it is removed now instead of coming back as unsent work to be sent a second time.
      const outbox = services.outbox.outbox;
      try {
        await outbox.ready;
      } catch {
        // The outbox could not open (it says why where it is used): the drafts are listed as they are.
        return ok({ drafts: listed });
      }
      const unsent = [];
      for (const draft of listed) {
        if (await outbox.current(draft.id)) await drafts.discard(draft.id);
        else unsent.push(draft);
      }
      return ok({ drafts: unsent });
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
