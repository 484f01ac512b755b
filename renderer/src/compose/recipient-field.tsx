import { useEffect, useId, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { Recipient } from '../../../shared/domain/drafts';
import { formatMailbox } from '../../../shared/domain/compose';
import { mailroom } from '../mailroom-api';
import { endsWithSeparator, mergeRecipients, parseRecipients } from './address-list';

interface Props {
  /** Visible label, also the input's accessible name: "To", "Cc", "Bcc". */
  label: string;
  recipients: Recipient[];
  /** Text typed but not yet turned into a chip (counts for validation and sending). */
  pending: string;
  onChange: (recipients: Recipient[], pending: string) => void;
  /** Why an address cannot be sent to, keyed by address. */
  problems: ReadonlyMap<string, string>;
  /** Focus the field when it appears (To of a new message: where writing starts). */
  autoFocus?: boolean;
}

/**
 * Recipients as chips. Typing a comma or semicolon, Enter, Tab or leaving the field turns the text into
 * chips; a pasted list becomes chips at once. Suggestions come from addresses used before (the core
 * keeps them in the profile).
 */
export function RecipientField({ label, recipients, pending, onChange, problems, autoFocus }: Props) {
  const inputId = useId();
  const listId = useId();
  const [suggestions, setSuggestions] = useState<Recipient[]>([]);
  const [active, setActive] = useState(-1);

  const query = pending.trim();
  useEffect(() => {
    if (!query || endsWithSeparator(pending)) return;
    let current = true;
    const timer = window.setTimeout(() => {
      void mailroom()
        .suggestRecipients({ query, limit: 8 })
        .then((result) => {
          if (!current || !result.ok) return;
          const taken = new Set(recipients.map((r) => r.address.toLowerCase()));
          setSuggestions(result.value.recipients.filter((r) => !taken.has(r.address.toLowerCase())));
          setActive(-1);
        });
    }, 120);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query, pending, recipients]);

  const shown = query ? suggestions : [];

  function commit(text: string) {
    setSuggestions([]);
    onChange(mergeRecipients(recipients, parseRecipients(text)), '');
  }

  function choose(suggestion: Recipient) {
    setSuggestions([]);
    onChange(mergeRecipients(recipients, [suggestion]), '');
  }

  function remove(index: number) {
    onChange(
      recipients.filter((_, i) => i !== index),
      pending,
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'ArrowDown' && shown.length) {
      event.preventDefault();
      setActive((i) => (i + 1) % shown.length);
    } else if (event.key === 'ArrowUp' && shown.length) {
      event.preventDefault();
      setActive((i) => (i <= 0 ? shown.length - 1 : i - 1));
    } else if (event.key === 'Escape' && shown.length) {
      event.preventDefault();
      setSuggestions([]);
    } else if (event.key === 'Enter' || (event.key === 'Tab' && pending.trim())) {
      const picked = active >= 0 ? shown[active] : undefined;
      if (picked) {
        event.preventDefault();
        choose(picked);
      } else if (pending.trim()) {
        if (event.key === 'Enter') event.preventDefault();
        commit(pending);
      } else if (event.key === 'Enter') {
        event.preventDefault();
      }
    } else if (event.key === 'Backspace' && pending === '' && recipients.length) {
      event.preventDefault();
      const last = recipients[recipients.length - 1]!;
      // Back to text, so a typo in the last chip can be fixed without retyping it.
      onChange(recipients.slice(0, -1), formatMailbox(last));
    }
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const text = event.clipboardData.getData('text/plain');
    if (!/[,;\n]/.test(text)) return;
    event.preventDefault();
    commit(pending + text);
  }

  return (
    <div className="field recipient-field">
      <label htmlFor={inputId}>{label}</label>
      <div className="chip-input">
        {recipients.length > 0 && (
          <ul className="chips">
            {recipients.map((r, index) => {
              const problem = problems.get(r.address);
              return (
                <li
                  key={`${r.address}-${index}`}
                  className={problem ? 'chip chip-invalid' : 'chip'}
                  title={problem ?? r.address}
                >
                  <span className="chip-text">{r.name ? `${r.name} <${r.address}>` : r.address}</span>
                  {problem && <span className="visually-hidden">: {problem}</span>}
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove ${r.address}`}
                    onClick={() => remove(index)}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={shown.length > 0}
          aria-controls={listId}
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          spellCheck={false}
          autoComplete="off"
          autoFocus={autoFocus}
          value={pending}
          onChange={(e) => {
            const value = e.target.value.replace(/[\r\n]+/g, ',');
            if (endsWithSeparator(value)) commit(value);
            else onChange(recipients, value);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => {
            if (pending.trim()) commit(pending);
          }}
        />
      </div>
      <ul
        id={listId}
        role="listbox"
        className="suggestions"
        hidden={shown.length === 0}
        aria-label="Suggestions"
      >
        {shown.map((s, index) => (
          <li
            key={s.address}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            // mousedown, not click: the input's blur would otherwise commit the typed text first.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(s);
            }}
          >
            {s.name ? `${s.name} <${s.address}>` : s.address}
          </li>
        ))}
      </ul>
    </div>
  );
}
