import type { DraftAttachment } from '../../../shared/domain/drafts';
import { formatBytes } from '../../../shared/domain/byte-size';

interface Props {
  attachments: DraftAttachment[];
  busy: boolean;
  onAttach: () => void;
  onRemove: (attachment: DraftAttachment) => void;
  /** Over the server's SIZE limit or 25 MB: said before sending, not after the server refuses. */
  sizeWarning: string | null;
}

/** Names and sizes only: the core stats the files; this page never reads them. */
export function AttachmentList({ attachments, busy, onAttach, onRemove, sizeWarning }: Props) {
  const total = attachments.reduce((sum, a) => sum + a.size, 0);
  return (
    <section className="attachments" aria-labelledby="compose-attachments-heading">
      <div className="attachments-header">
        <h3 id="compose-attachments-heading">Attachments</h3>
        <button type="button" onClick={onAttach} disabled={busy}>
          {busy ? 'Attaching…' : 'Attach files…'}
        </button>
        {attachments.length > 0 && (
          <span className="attachments-total">
            {attachments.length} {attachments.length === 1 ? 'file' : 'files'}, {formatBytes(total)}
          </span>
        )}
      </div>
      {attachments.length === 0 ? (
        <p className="attachments-empty">No files attached. Drop files here or use “Attach files…”.</p>
      ) : (
        <ul className="attachment-items">
          {attachments.map((a) => (
            <li key={a.id} className={a.present ? 'attachment' : 'attachment attachment-missing'}>
              <span className="attachment-name">{a.name}</span>{' '}
              <span className="attachment-size">{formatBytes(a.size)}</span>
              {!a.present && <span className="form-problem"> File not found: it was moved or deleted.</span>}
              <button type="button" aria-label={`Remove attachment ${a.name}`} onClick={() => onRemove(a)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {sizeWarning && (
        <p className="notice notice-warning" role="note">
          {sizeWarning}
        </p>
      )}
    </section>
  );
}
