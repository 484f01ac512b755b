import { useEffect, useState } from 'react';
import type { MergeCsv, MergePreview } from '../../../shared/domain/mail-merge';
import type { MailroomError, Result } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

/** How many rows the preview renders in full (the user pages through them). */
export const PREVIEW_ROWS = 5;

export interface MergeChoice {
  csv: MergeCsv | null;
  /** Undefined: the core picks the column (email, e-mail, …). */
  recipientField: string | undefined;
  /** Undefined: the core picks (name, full name); '' : no name column. */
  nameField: string | undefined;
}

export type PreviewState =
  | { kind: 'empty' }
  | { kind: 'loading'; last: MergePreview | null }
  | { kind: 'ready'; preview: MergePreview }
  | { kind: 'failed'; error: MailroomError; last: MergePreview | null };

interface Answer {
  question: MergeChoice;
  result: Result<MergePreview>;
}

const same = (a: MergeChoice, b: MergeChoice) =>
  a.csv === b.csv && a.recipientField === b.recipientField && a.nameField === b.nameField;

/**
 * The core's preview of the merge for the list and columns chosen: asked again on every change, and
 * only the answer to the latest question counts (a slow answer to an older one is not shown as
 * current). While a new answer is on its way the last good preview of the same file stays in view.
 */
export function useMergePreview(draftId: string, choice: MergeChoice): PreviewState {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [good, setGood] = useState<{ csv: MergeCsv; preview: MergePreview } | null>(null);
  const { csv, recipientField, nameField } = choice;

  useEffect(() => {
    if (!csv) return;
    let current = true;
    const question = { csv, recipientField, nameField };
    void mailroom()
      .previewMerge({
        draftId,
        csv,
        previewRows: PREVIEW_ROWS,
        ...(recipientField !== undefined ? { recipientField } : {}),
        ...(nameField !== undefined ? { nameField } : {}),
      })
      .then((result) => {
        if (!current) return;
        setAnswer({ question, result });
        if (result.ok) setGood({ csv, preview: result.value });
      });
    return () => {
      current = false;
    };
  }, [draftId, csv, recipientField, nameField]);

  if (!csv) return { kind: 'empty' };
  // A preview of another file is no guide to this one.
  const last = good && good.csv === csv ? good.preview : null;
  if (!answer || !same(answer.question, choice)) return { kind: 'loading', last };
  return answer.result.ok
    ? { kind: 'ready', preview: answer.result.value }
    : { kind: 'failed', error: answer.result.error, last };
}

export function lastPreview(state: PreviewState): MergePreview | null {
  return state.kind === 'ready' ? state.preview : state.kind === 'empty' ? null : state.last;
}
