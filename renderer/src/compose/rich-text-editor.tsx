import {
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { Color, TextStyle } from '@tiptap/extension-text-style';
import { normaliseLink, sanitizeBodyHtml } from './sanitize-html';

interface Props {
  /** Sanitised HTML to start from (read once: the editor owns the content afterwards). */
  initialHtml: string;
  onChange: (html: string) => void;
  labelId: string;
  /** Shorter, for a signature rather than a message. */
  compact?: boolean;
}

/** Colours that read on white and survive in every mail client (named, so the menu says them). */
export const TEXT_COLOURS = [
  { label: 'Red', value: '#c62828' },
  { label: 'Orange', value: '#b45309' },
  { label: 'Green', value: '#2e7d32' },
  { label: 'Blue', value: '#1f4fb4' },
  { label: 'Purple', value: '#6a1b9a' },
  { label: 'Grey', value: '#5f6368' },
] as const;

/**
 * The rich message body, on TipTap (ProseMirror): the formatting that survives in mail (bold,
 * italic, underline, strikethrough, headings, colour, lists, links and quotes). Pasted HTML is
 * sanitised before ProseMirror parses it, and ProseMirror's schema then drops whatever the editor
 * has no node for.
 */
export function RichTextEditor({ initialHtml, onChange, labelId, compact = false }: Props) {
  const toolbarRef = useRef<HTMLDivElement>(null);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [1, 2, 3] },
        code: false,
        codeBlock: false,
        horizontalRule: false,
        link: {
          openOnClick: false,
          autolink: true,
          protocols: ['mailto'],
          HTMLAttributes: { rel: 'noopener noreferrer', target: null },
          isAllowedUri: (url) => normaliseLink(url) !== null,
        },
      }),
      TextStyle,
      Color,
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
        // The toolbar is not in the tab order between Subject and the text: Alt+F10 reaches it.
        'aria-keyshortcuts': 'Alt+F10',
        class: compact ? 'rich-body rich-body-compact' : 'rich-body',
        spellcheck: 'true',
      },
      transformPastedHTML: (html) => sanitizeBodyHtml(html),
      handleKeyDown: (_view, event) => {
        if (event.key === 'F10' && event.altKey) {
          event.preventDefault();
          focusToolbar(toolbarRef.current);
          return true;
        }
        return false;
      },
    },
    onUpdate: ({ editor: current }) => onChange(current.getHTML()),
  });

  // The text comes first in the document, so Tab from Subject lands in it; the toolbar is drawn
  // above it (CSS order) and is one tab stop after it (roving tabindex), or Alt+F10 away.
  return (
    <div className="rich-editor">
      <div className="rich-scroll">
        <EditorContent editor={editor} />
      </div>
      <Toolbar editor={editor} toolbarRef={toolbarRef} />
    </div>
  );
}

/** Focuses the toolbar's current item (the one with tabindex 0). */
function focusToolbar(toolbar: HTMLElement | null) {
  toolbar?.querySelector<HTMLElement>('[data-tool][tabindex="0"]')?.focus();
}

type StyleChoice = 'paragraph' | 'h1' | 'h2' | 'h3';

function Toolbar({ editor, toolbarRef }: { editor: Editor; toolbarRef: RefObject<HTMLDivElement | null> }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      blockquote: e.isActive('blockquote'),
      link: e.isActive('link'),
      style: ([1, 2, 3] as const).reduce<StyleChoice>(
        (found, level) => (e.isActive('heading', { level }) ? (`h${level}` as StyleChoice) : found),
        'paragraph',
      ),
      colour: (e.getAttributes('textStyle')['color'] as string | undefined) ?? '',
    }),
  });
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkValue, setLinkValue] = useState('');
  const [linkProblem, setLinkProblem] = useState('');
  const [current, setCurrent] = useState(0);
  const linkInputId = useId();

  const marks = [
    { key: 'bold', label: 'Bold', text: 'B', run: () => editor.chain().focus().toggleBold().run() },
    { key: 'italic', label: 'Italic', text: 'I', run: () => editor.chain().focus().toggleItalic().run() },
    {
      key: 'underline',
      label: 'Underline',
      text: 'U',
      run: () => editor.chain().focus().toggleUnderline().run(),
    },
    {
      key: 'strike',
      label: 'Strikethrough',
      text: 'S',
      run: () => editor.chain().focus().toggleStrike().run(),
    },
  ] as const;
  const blocks = [
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

  function setStyle(choice: StyleChoice) {
    const chain = editor.chain().focus();
    if (choice === 'paragraph') chain.setParagraph().run();
    else chain.setHeading({ level: Number(choice.slice(1)) as 1 | 2 | 3 }).run();
  }

  function setColour(value: string) {
    if (value) editor.chain().focus().setColor(value).run();
    else editor.chain().focus().unsetColor().run();
  }

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

  /** Arrow keys move between the tools (one tab stop for the whole toolbar, as WAI-ARIA describes). */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const tools = [...(toolbarRef.current?.querySelectorAll<HTMLElement>('[data-tool]') ?? [])];
    const at = tools.indexOf(event.target as HTMLElement);
    if (at < 0) return;
    const next =
      event.key === 'ArrowRight'
        ? (at + 1) % tools.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + tools.length) % tools.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tools.length - 1
              : -1;
    if (next >= 0) {
      event.preventDefault();
      setCurrent(next);
      tools[next]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      editor.commands.focus();
    }
  }

  let index = 0;
  /** The roving tabindex: only the current tool is in the tab order. */
  const tool = () => {
    const mine = index++;
    return {
      'data-tool': true,
      tabIndex: mine === current ? 0 : -1,
      onFocus: () => setCurrent(mine),
    };
  };
  const button = (b: { key: string; label: string; text: ReactNode; run: () => void }) => (
    <button
      key={b.key}
      type="button"
      className={`tool tool-${b.key}`}
      aria-label={b.label}
      title={b.label}
      aria-pressed={state[b.key as keyof typeof state] === true}
      // A click keeps the focus (and the selection) in the text, so typing goes on at once.
      onMouseDown={(e) => e.preventDefault()}
      onClick={b.run}
      {...tool()}
    >
      <span aria-hidden="true">{b.text}</span>
    </button>
  );

  return (
    <div
      className="rich-toolbar"
      role="toolbar"
      aria-label="Formatting"
      ref={toolbarRef}
      onKeyDown={onKeyDown}
    >
      <select
        className="tool-select"
        aria-label="Text style"
        title="Text style"
        value={state.style}
        onChange={(e) => setStyle(e.target.value as StyleChoice)}
        {...tool()}
      >
        <option value="paragraph">Normal text</option>
        <option value="h1">Heading 1</option>
        <option value="h2">Heading 2</option>
        <option value="h3">Heading 3</option>
      </select>
      {marks.map(button)}
      <select
        className="tool-select"
        aria-label="Text colour"
        title="Text colour"
        value={TEXT_COLOURS.some((c) => c.value === state.colour) ? state.colour : ''}
        onChange={(e) => setColour(e.target.value)}
        {...tool()}
      >
        <option value="">Automatic colour</option>
        {TEXT_COLOURS.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {blocks.map(button)}
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
        {...tool()}
      >
        <LinkIcon />
      </button>
      <button
        type="button"
        className="tool tool-clear"
        aria-label="Clear formatting"
        title="Clear formatting"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => editor.chain().focus().unsetAllMarks().clearNodes().run()}
        {...tool()}
      >
        <ClearIcon />
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
              e.stopPropagation();
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

/** An 18 px toolbar icon drawn in the text colour; the button around it carries the name. */
function ToolIcon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="tool-icon"
      viewBox="0 0 18 18"
      width="18"
      height="18"
      focusable="false"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

/** A stroked path in the text colour, as every drawn icon here uses. */
function Stroke({ d, width = 1.6 }: { d: string; width?: number }) {
  return (
    <path
      d={d}
      stroke="currentColor"
      strokeWidth={width}
      fill="none"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  );
}

/**
 * The list buttons' icons. Drawn, not typed: a visible "1." would be a text label that the button's
 * name ("Numbered list") does not contain, which speech-input users cannot say (WCAG 2.5.3).
 */
function ListIcon({ numbered }: { numbered: boolean }) {
  return (
    <ToolIcon>
      <Stroke d="M7.5 5H17M7.5 13H17" />
      {numbered ? (
        <Stroke
          d="M2.1 2.9 3.8 1.8V8.2M1.5 11.3C1.7 9.6 5 9.5 5 11.3 5 12.8 1.5 14.4 1.5 16.3H5.3"
          width={1.4}
        />
      ) : (
        <>
          <circle cx="3.2" cy="5" r="1.8" fill="currentColor" />
          <circle cx="3.2" cy="13" r="1.8" fill="currentColor" />
        </>
      )}
    </ToolIcon>
  );
}

/** Drawn rather than an emoji: not every system has an emoji font (it showed as an empty box). */
function LinkIcon() {
  return (
    <ToolIcon>
      <Stroke d="M7.6 10.4a3 3 0 0 0 4.2 0l2.8-2.8a3 3 0 0 0-4.2-4.2L9.2 4.6M10.4 7.6a3 3 0 0 0-4.2 0L3.4 10.4a3 3 0 0 0 4.2 4.2l1.2-1.2" />
    </ToolIcon>
  );
}

/** A "T" with a stroke through it: remove formatting. */
function ClearIcon() {
  return (
    <ToolIcon>
      <Stroke d="M4 4h9M8.5 4 6.5 14M3 15 15 3" />
    </ToolIcon>
  );
}
