import { useId, useState } from 'react';
import { formatDateTime } from '../../../shared/domain/date-time';
import { sendLaterPresets, toLocalInputValue } from './send-later';

/**
 * "Send later…" next to Send: a few presets and a date and time of the user's choosing. The message
 * waits in the Outbox until then (editable and cancellable there).
 */
export function SendLaterMenu({
  disabled,
  onSchedule,
}: {
  disabled: boolean;
  onSchedule: (at: Date) => void;
}) {
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState('');
  const [problem, setProblem] = useState('');
  const menuId = useId();
  const pickerId = useId();
  const presets = open ? sendLaterPresets() : [];

  function scheduleCustom() {
    const at = new Date(custom);
    if (!custom || Number.isNaN(at.getTime())) return setProblem('Choose a date and a time.');
    if (at.getTime() <= Date.now()) return setProblem('Choose a time in the future.');
    setOpen(false);
    onSchedule(at);
  }

  return (
    <span className="send-later">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        disabled={disabled}
        onClick={() => {
          setProblem('');
          setCustom((c) => c || toLocalInputValue(sendLaterPresets()[1]!.at));
          setOpen((o) => !o);
        }}
      >
        Send later…
      </button>
      {open && (
        <div
          id={menuId}
          className="send-later-menu"
          role="group"
          aria-label="Send later"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setOpen(false);
            }
          }}
        >
          {presets.map((p, index) => (
            <button
              key={p.label}
              type="button"
              autoFocus={index === 0}
              onClick={() => {
                setOpen(false);
                onSchedule(p.at);
              }}
            >
              {p.label} <span className="send-later-when">{formatDateTime(p.at)}</span>
            </button>
          ))}
          <div className="send-later-custom">
            <label htmlFor={pickerId}>Date and time</label>
            <input
              id={pickerId}
              type="datetime-local"
              value={custom}
              min={toLocalInputValue(new Date())}
              onChange={(e) => setCustom(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
                  e.preventDefault();
                  scheduleCustom();
                }
              }}
            />
            <button type="button" onClick={scheduleCustom}>
              Schedule
            </button>
          </div>
          {problem && (
            <p className="form-problem" role="alert">
              {problem}
            </p>
          )}
        </div>
      )}
    </span>
  );
}
