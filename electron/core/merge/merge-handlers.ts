import { fail } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';

export type MergeChannel =
  | 'previewMerge'
  | 'startMerge'
  | 'listMergeJobs'
  | 'pauseMerge'
  | 'resumeMerge'
  | 'cancelMerge'
  | 'getSendingLimits'
  | 'setSendingLimits';

const notYet = async () =>
  fail({
    code: 'MERGE_UNAVAILABLE',
    message: 'Sending to a list is not available in this build of Mailroom yet.',
    hint: 'Update Mailroom, or send the message to each recipient separately.',
  });

/** Mail merge's channels: preview, a job in the outbox with pause/resume/cancel, and the account's sending limits. */
export function mergeHandlers(_services: CoreServices): HandlerGroup<MergeChannel> {
  return {
    previewMerge: notYet,
    startMerge: notYet,
    listMergeJobs: notYet,
    pauseMerge: notYet,
    resumeMerge: notYet,
    cancelMerge: notYet,
    getSendingLimits: notYet,
    setSendingLimits: notYet,
  };
}
