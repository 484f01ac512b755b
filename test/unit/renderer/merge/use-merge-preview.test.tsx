import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { MergeCsv, MergePreview } from '../../../../shared/domain/mail-merge';
import type { MailroomApi } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/result';
import { useMergePreview, type MergeChoice } from '../../../../renderer/src/merge/use-merge-preview';

// The preview follows the latest choice: an answer that arrives after the user changed the column
// (or the file) is never shown as the current preview.

const preview = (recipientField: string): MergePreview => ({
  fields: ['email', 'work email', 'name'],
  delimiter: ',',
  recipientField,
  placeholders: [],
  totalRows: 1,
  sendableRows: 1,
  rows: [],
  skipped: [],
  from: 'Ada <ada@example.com>',
  accountId: 'acc-1',
  attachmentNames: [],
  pacing: {
    limits: { perMinute: null, perDay: null, source: 'none' },
    currentPerMinute: null,
    sentLast24h: 0,
  },
});

afterEach(cleanup);

describe('useMergePreview', () => {
  it('drops a slow answer to an earlier question and keeps the last good preview of the same file meanwhile', async () => {
    const pending: ((r: Result<MergePreview>) => void)[] = [];
    const previewMerge = vi.fn(() => new Promise<Result<MergePreview>>((resolve) => pending.push(resolve)));
    window.mailroom = { previewMerge } as unknown as MailroomApi;
    const csv: MergeCsv = { text: 'email,work email,name\na@x.org,b@y.org,A\n', fileName: 'list.csv' };

    const { result, rerender } = renderHook((choice: MergeChoice) => useMergePreview('draft-1', choice), {
      initialProps: { csv, recipientField: undefined, nameField: undefined } as MergeChoice,
    });
    expect(result.current).toEqual({ kind: 'loading', last: null });
    await act(async () => pending[0]!({ ok: true, value: preview('email') }));
    expect(result.current).toEqual({ kind: 'ready', preview: preview('email') });

    // The user picks another column, then another again before the first answer is back.
    rerender({ csv, recipientField: 'work email', nameField: undefined });
    expect(result.current).toEqual({ kind: 'loading', last: preview('email') });
    rerender({ csv, recipientField: 'name', nameField: undefined });
    await act(async () =>
      pending[2]!({ ok: false, error: { code: 'MERGE_NO_SENDABLE_ROWS', message: 'No row.', hint: '' } }),
    );
    await act(async () => pending[1]!({ ok: true, value: preview('work email') }));
    expect(result.current).toMatchObject({ kind: 'failed', error: { code: 'MERGE_NO_SENDABLE_ROWS' } });
    expect(previewMerge).toHaveBeenLastCalledWith(expect.objectContaining({ recipientField: 'name' }));

    // Another file: what was known of the first one is no guide to it.
    rerender({ csv: { ...csv, fileName: 'other.csv' }, recipientField: undefined, nameField: undefined });
    expect(result.current).toEqual({ kind: 'loading', last: null });
  });
});
