import type { FromChoice } from './new-message';

/** Subjects are one line: pasted line breaks become spaces (a header cannot hold them raw). */
import { stripLineBreaks } from '../../../shared/domain/outgoing-message';

/** The sending account and identity. */
export function FromField({
  choices,
  value,
  onChange,
}: {
  choices: FromChoice[];
  value: string;
  onChange: (key: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor="compose-from">From</label>
      <select id="compose-from" value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SubjectField({ value, onChange }: { value: string; onChange: (subject: string) => void }) {
  return (
    <div className="field">
      <label htmlFor="compose-subject">Subject</label>
      <input
        id="compose-subject"
        value={value}
        maxLength={900}
        onChange={(e) => onChange(stripLineBreaks(e.target.value))}
        onKeyDown={(e) => {
          // Enter in Subject moves on to the message instead of sending it.
          if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.preventDefault();
        }}
      />
    </div>
  );
}
