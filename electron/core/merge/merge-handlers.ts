import type { MergeRequest } from '../../../shared/domain/mail-merge';
import { fail, ok, type Result } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import type { MergeTemplate } from './merge-plan';

export type MergeChannel =
  | 'previewMerge'
  | 'startMerge'
  | 'listMergeJobs'
  | 'pauseMerge'
  | 'resumeMerge'
  | 'cancelMerge'
  | 'getSendingLimits'
  | 'setSendingLimits';

/**
 * Mail merge's channels: a preview of the rows as they will be sent, one job in the outbox with
 * pause/resume/cancel, and the account's sending limits. The message is a saved draft: the core
 * reads it, as sendDraft does, so the page never hands over attachment paths.
 */
export function mergeHandlers(services: CoreServices): HandlerGroup<MergeChannel> {
  // Reached per call: the outbox (and the merge jobs in it) open on first use.
  const merge = () => services.outbox.merge;

  async function template(draftId: string): Promise<Result<MergeTemplate>> {
    const draft = await services.drafts.get(draftId);
    if (!draft.ok) return draft;
    // Planning (message building, the CSV parser) is loaded for a preview or a start only: listing
    // the jobs (every `outbox list`) and pausing them do not need it.
    const { templateOfDraft } = await import('./merge-plan');
    return templateOfDraft(draft.value);
  }

  const fields = (request: MergeRequest) => ({
    recipientField: request.recipientField,
    nameField: request.nameField,
  });

  function accountKnown(accountId: string) {
    return services.accounts.summary(accountId)
      ? undefined
      : fail({
          code: 'ACCOUNT_NOT_FOUND' as const,
          message: 'That account no longer exists.',
          hint: 'Choose another account, or set it up again in Accounts.',
        });
  }

  return {
    async previewMerge(request) {
      const found = await template(request.draftId);
      if (!found.ok) return found;
      await merge().attach(services.outbox.outbox);
      return merge().preview(found.value, request.csv, fields(request), request.previewRows);
    },
    async startMerge(request) {
      const found = await template(request.draftId);
      if (!found.ok) return found;
      await merge().attach(services.outbox.outbox);
      return merge().start(found.value, request.csv, fields(request), request.draftId);
    },
    async listMergeJobs() {
      await merge().attach(services.outbox.outbox);
      return ok({ jobs: await merge().list() });
    },
    async pauseMerge({ jobId }) {
      await merge().attach(services.outbox.outbox);
      return merge().pause(jobId);
    },
    async resumeMerge({ jobId }) {
      await merge().attach(services.outbox.outbox);
      return merge().resumeJob(jobId);
    },
    async cancelMerge({ jobId }) {
      await merge().attach(services.outbox.outbox);
      return merge().cancel(jobId);
    },
    async getSendingLimits({ accountId }) {
      return accountKnown(accountId) ?? ok(services.outbox.sendingLimits.describe(accountId));
    },
    async setSendingLimits({ accountId, limits }) {
      const missing = accountKnown(accountId);
      if (missing) return missing;
      services.outbox.sendingLimits.set(accountId, limits);
      // A job already running goes at the new pace from its next message.
      services.outbox.merge.pacer.changed();
      return ok(services.outbox.sendingLimits.describe(accountId));
    },
  };
}
