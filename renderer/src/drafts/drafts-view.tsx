import { useCallback, useEffect, useState } from 'react';
import type { DraftSummary } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { showCompose } from '../compose/compose-route';
import { formatDateTime } from '../../../shared/domain/date-time';

/** Opens a draft where the host shows compose: its own window (Electron) or this page's route. */
export async function openDraft(id: string): Promise<MailroomError | null> {
  const opened = await mailroom().openComposeWindow({ id });
  if (!opened.ok) return opened.error;
  if (!opened.value.opened) showCompose(id);
  return null;
}

/** Unsent messages kept by the core; each reopens with everything it held, attachments included. */
export function DraftsView() {
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState<MailroomError | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let current = true;
    void mailroom()
      .listDrafts({})
      .then((result) => {
        if (!current) return;
        if (result.ok) setDrafts(result.value.drafts);
        else setError(result.error);
      });
    return () => {
      current = false;
    };
  }, [generation]);

  async function discard(id: string) {
    const result = await mailroom().discardDraft({ id });
    setConfirming(null);
    if (!result.ok) setError(result.error);
    reload();
  }

  return (
    <section className="panel" aria-labelledby="drafts-heading">
      <h2 id="drafts-heading">Drafts</h2>
      {error && <ErrorNotice error={error} />}
      {drafts === null ? (
        <p role="status">Loading drafts…</p>
      ) : drafts.length === 0 ? (
        <p className="empty-place">No drafts. Messages you start and do not send are kept here.</p>
      ) : (
        <ul className="message-list" aria-label="Drafts">
          {drafts.map((d) => {
            const subject = d.subject || '(no subject)';
            return (
              <li key={d.id} className="message-row">
                <span className="message-row-people">
                  {d.to.length > 0 ? `To ${d.to.join(', ')}` : 'No recipients yet'}
                </span>
                <span className="message-row-date">{formatDateTime(d.updatedAt)}</span>
                <strong className="message-row-subject">{subject}</strong>
                <span className="message-row-meta">
                  {d.attachmentCount > 0 &&
                    `${d.attachmentCount} ${d.attachmentCount === 1 ? 'attachment' : 'attachments'}`}
                </span>
                <span className="message-row-actions">
                  {confirming === d.id ? (
                    <span role="group" aria-label="Discard this draft?">
                      Discard it for good?{' '}
                      <button type="button" className="danger" onClick={() => void discard(d.id)}>
                        Discard draft
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <button
                        type="button"
                        aria-label={`Open draft ${subject}`}
                        onClick={() => void openDraft(d.id).then((e) => e && setError(e))}
                      >
                        Open
                      </button>
                      <button
                        type="button"
                        aria-label={`Discard draft ${subject}`}
                        onClick={() => setConfirming(d.id)}
                      >
                        Discard…
                      </button>
                    </>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
