import { useId } from 'react';
import { htmlToPlainText, plainTextToHtml } from '../../../shared/domain/outgoing-message';
import { RichTextEditor } from './rich-text-editor';

/**
 * An identity's signature, formatted with the message editor's tools. It is kept twice: as the
 * editor's HTML (for rich messages) and as plain text (for plain messages and the text part).
 */
export function SignatureField({
  html,
  text,
  onChange,
}: {
  html: string;
  text: string;
  onChange: (signature: { html: string; text: string }) => void;
}) {
  const labelId = useId();
  const helpId = useId();
  return (
    <div className="field signature-field" aria-describedby={helpId}>
      <span id={labelId} className="field-label">
        Signature
      </span>
      <RichTextEditor
        compact
        initialHtml={html || plainTextToHtml(text)}
        labelId={labelId}
        onChange={(next) => {
          const plain = htmlToPlainText(next).trimEnd();
          // An emptied editor is no signature (TipTap leaves one empty paragraph behind).
          onChange({ html: plain ? next : '', text: plain });
        }}
      />
      <p className="field-help" id={helpId}>
        Added below new messages from this identity, with its formatting.
      </p>
    </div>
  );
}
