import { useId } from 'react';
import type { BodyMode } from '../../../shared/domain/drafts';
import { RichTextEditor } from './rich-text-editor';

/** The message body: the rich editor or a plain textarea, and the switch between them. */
export function MessageBodyField({
  mode,
  html,
  text,
  editorKey,
  onHtmlChange,
  onTextChange,
  onPlainChange,
}: {
  mode: BodyMode;
  html: string;
  text: string;
  /** Bumped to start the rich editor over with new content (mode switch, signature swap). */
  editorKey: number;
  onHtmlChange: (html: string) => void;
  onTextChange: (text: string) => void;
  onPlainChange: (plain: boolean) => void;
}) {
  const bodyLabelId = useId();
  return (
    <div className="body-field">
      <div className="body-header">
        <span id={bodyLabelId} className="body-label">
          Message
        </span>
        <label className="plain-toggle">
          <input
            type="checkbox"
            checked={mode === 'plain'}
            onChange={(e) => onPlainChange(e.target.checked)}
          />{' '}
          Plain text
        </label>
      </div>
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
    </div>
  );
}
