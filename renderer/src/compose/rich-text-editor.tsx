import { useId, useState, type FormEvent } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { normaliseLink, sanitizeBodyHtml } from './sanitize-html';

interface Props {
  /** Sanitised HTML to start from (read once: the editor owns the content afterwards). */
  initialHtml: string;
  onChange: (html: string) => void;
  labelId: string;
}

/**
 * The rich message body, on TipTap (ProseMirror): bold, italic, lists, links and quotes, nothing that
 * does not survive in mail. Pasted HTML is sanitised before ProseMirror parses it, and ProseMirror's
 * schema then drops whatever the editor has no node for.
 */
export function RichTextEditor({ initialHtml, onChange, labelId }: Props) {
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: false,
        code: false,
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        link: {
          openOnClick: false,
          autolink: true,
          protocols: ['mailto'],
          HTMLAttributes: { rel: 'noopener noreferrer', target: null },
          isAllowedUri: (url) => normaliseLink(url) !== null,
        },
      }),
    ],
    content: sanitizeBodyHtml(initialHtml),
    // The page's CSP allows no inline <style>: the editor's styles live in compose.css.
    injectCSS: false,
    immediatelyRender: true,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelId,
        class: 'rich-body',
        spellcheck: 'true',
      },
      transformPastedHTML: (html) => sanitizeBodyHtml(html),
    },
    onUpdate: ({ editor: current }) => onChange(current.getHTML()),
  });

  return (
    <div className="rich-editor">
      <Toolbar editor={editor} />
      <EditorContent editor={editor} />
    </div>
  );
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      blockquote: e.isActive('blockquote'),
      link: e.isActive('link'),
    }),
  });
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkValue, setLinkValue] = useState('');
  const [linkProblem, setLinkProblem] = useState('');
  const linkInputId = useId();

  const buttons = [
    { key: 'bold', label: 'Bold', text: 'B', run: () => editor.chain().focus().toggleBold().run() },
    { key: 'italic', label: 'Italic', text: 'I', run: () => editor.chain().focus().toggleItalic().run() },
    {
      key: 'bulletList',
      label: 'Bulleted list',
      text: <ListIcon numbered={false} />,
      run: () => editor.chain().focus().toggleBulletList().run(),
    },
    {
      key: 'orderedList',
      label: 'Numbered list',
      text: <ListIcon numbered />,
      run: () => editor.chain().focus().toggleOrderedList().run(),
    },
    {
      key: 'blockquote',
      label: 'Quote',
      text: '❝',
      run: () => editor.chain().focus().toggleBlockquote().run(),
    },
  ] as const;

  function applyLink(event: FormEvent) {
    event.preventDefault();
    if (!linkValue.trim()) {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      setLinkOpen(false);
      return;
    }
    const href = normaliseLink(linkValue);
    if (!href) {
      setLinkProblem('Enter a web address (https://…) or an email address.');
      return;
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    setLinkOpen(false);
  }

  return (
    <div className="rich-toolbar" role="toolbar" aria-label="Formatting">
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          className={`tool tool-${b.key}`}
          aria-label={b.label}
          title={b.label}
          aria-pressed={state[b.key]}
          onClick={b.run}
        >
          <span aria-hidden="true">{b.text}</span>
        </button>
      ))}
      <button
        type="button"
        className="tool tool-link"
        aria-label="Link"
        title="Link"
        aria-pressed={state.link}
        aria-expanded={linkOpen}
        onClick={() => {
          setLinkValue((editor.getAttributes('link')['href'] as string | undefined) ?? '');
          setLinkProblem('');
          setLinkOpen((open) => !open);
        }}
      >
        <LinkIcon />
      </button>
      {linkOpen && (
        // Not a <form>: it sits inside the compose form, and forms do not nest.
        <div className="link-editor" role="group" aria-label="Link address">
          <label htmlFor={linkInputId}>Link address</label>
          <input
            id={linkInputId}
            type="text"
            value={linkValue}
            placeholder="https://example.com"
            onChange={(e) => setLinkValue(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) applyLink(e);
              if (e.key === 'Escape') setLinkOpen(false);
            }}
            autoFocus
          />
          <button type="button" onClick={applyLink}>
            Apply
          </button>
          {linkProblem && <span className="form-problem">{linkProblem}</span>}
        </div>
      )}
    </div>
  );
}

/**
 * The list buttons' icons. Drawn, not typed: a visible "1." would be a text label that the button's
 * name ("Numbered list") does not contain, which speech-input users cannot say (WCAG 2.5.3).
 */
function ListIcon({ numbered }: { numbered: boolean }) {
  return (
    <svg className="tool-icon" viewBox="0 0 18 18" width="18" height="18" focusable="false">
      <path d="M7.5 5H17M7.5 13H17" stroke="currentColor" strokeWidth="1.6" fill="none" />
      {numbered ? (
        <path
          d="M2.1 2.9 3.8 1.8V8.2M1.5 11.3C1.7 9.6 5 9.5 5 11.3 5 12.8 1.5 14.4 1.5 16.3H5.3"
          stroke="currentColor"
          strokeWidth="1.4"
          fill="none"
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      ) : (
        <>
          <circle cx="3.2" cy="5" r="1.8" fill="currentColor" />
          <circle cx="3.2" cy="13" r="1.8" fill="currentColor" />
        </>
      )}
    </svg>
  );
}

/** Drawn rather than an emoji: not every system has an emoji font (it showed as an empty box). */
function LinkIcon() {
  return (
    <svg
      className="tool-icon"
      viewBox="0 0 18 18"
      width="18"
      height="18"
      focusable="false"
      aria-hidden="true"
    >
      <path
        d="M7.6 10.4a3 3 0 0 0 4.2 0l2.8-2.8a3 3 0 0 0-4.2-4.2L9.2 4.6M10.4 7.6a3 3 0 0 0-4.2 0L3.4 10.4a3 3 0 0 0 4.2 4.2l1.2-1.2"
        stroke="currentColor"
        strokeWidth="1.6"
        fill="none"
        strokeLinecap="round"
      />
    </svg>
  );
}
