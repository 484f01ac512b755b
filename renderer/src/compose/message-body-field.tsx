import { useId } from 'react';
import type { BodyMode } from '../../../shared/domain/drafts';
import { RichTextEditor } from './rich-text-editor';

/**
 * The message body: the rich editor or a plain textarea, and the switch between them. Switching to
 * plain text asks first when that would drop formatting.
 */
export function MessageBodyField({
  mode,
  html,
  text,
  editorKey,
  confirmingPlain,
  onHtmlChange,
  onTextChange,
  onPlainChange,
  onConfirmPlain,
}: {
  mode: BodyMode;
  html: string;
  text: string;
  /** Bumped to start the rich editor over with new content (mode switch, signature swap). */
  editorKey: number;
  /** Waiting for the user to say whether the formatting may go. */
  confirmingPlain: boolean;
  onHtmlChange: (html: string) => void;
  onTextChange: (text: string) => void;
  onPlainChange: (plain: boolean) => void;
  onConfirmPlain: (drop: boolean) => void;
}) {
  const bodyLabelId = useId();
  // In the document the text comes first (Tab from Subject lands in it); CSS draws the label, the
  // plain-text switch and the toolbar above it.
  return (
    <div className="body-field">
      {mode === 'rich' ? (
        <RichTextEditor key={editorKey} initialHtml={html} onChange={onHtmlChange} labelId={bodyLabelId} />
      ) : (
        <textarea
          id="compose-body"
          aria-labelledby={bodyLabelId}
          className="plain-body"
          rows={14}
          value={text}
          onChange={(e) => onTextChange(e.target.value)}
        />
      )}
      <div className="body-header">
        <span id={bodyLabelId} className="body-label">
          Message
        </span>
        {confirmingPlain ? (
          <span className="plain-confirm" role="group" aria-label="Switch to plain text?">
            Plain text drops the formatting (bold, colours, headings, links become text).{' '}
            <button type="button" onClick={() => onConfirmPlain(true)} autoFocus>
              Switch to plain text
            </button>{' '}
            <button type="button" onClick={() => onConfirmPlain(false)}>
              Keep formatting
            </button>
          </span>
        ) : (
          <label className="plain-toggle">
            <input
              type="checkbox"
              checked={mode === 'plain'}
              onChange={(e) => onPlainChange(e.target.checked)}
            />{' '}
            Plain text
          </label>
        )}
      </div>
    </div>
  );
}
