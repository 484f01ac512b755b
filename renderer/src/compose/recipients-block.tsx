import type { Recipient } from '../../../shared/domain/drafts';
import { RecipientField } from './recipient-field';

export type RecipientKind = 'to' | 'cc' | 'bcc';

/** To, then Cc and Bcc once asked for (or when the draft already has copies). */
export function RecipientsBlock({
  recipients,
  pending,
  problems,
  showCopies,
  onShowCopies,
  autoFocusTo,
  onChange,
}: {
  recipients: Record<RecipientKind, Recipient[]>;
  /** Text typed in each field that is not a chip yet. */
  pending: Record<RecipientKind, string>;
  problems: ReadonlyMap<string, string>;
  showCopies: boolean;
  onShowCopies: () => void;
  autoFocusTo: boolean;
  onChange: (field: RecipientKind, list: Recipient[], rest: string) => void;
}) {
  return (
    <>
      <RecipientField
        label="To"
        autoFocus={autoFocusTo}
        recipients={recipients.to}
        pending={pending.to}
        problems={problems}
        onChange={(list, rest) => onChange('to', list, rest)}
      />
      {showCopies ? (
        (['cc', 'bcc'] as const).map((field) => (
          <RecipientField
            key={field}
            label={field === 'cc' ? 'Cc' : 'Bcc'}
            recipients={recipients[field]}
            pending={pending[field]}
            problems={problems}
            onChange={(list, rest) => onChange(field, list, rest)}
          />
        ))
      ) : (
        <div className="field">
          <span />
          <button type="button" className="link-button" onClick={onShowCopies}>
            Add Cc and Bcc
          </button>
        </div>
      )}
    </>
  );
}
