import DOMPurify from 'dompurify';
import { useMemo } from 'react';

/**
 * The frame's own policy, on top of the window's (which a srcdoc document inherits): images only from
 * data: and cid: (no remote content, so no tracking pixel reports that the message was opened), inline
 * styles so the message looks as it was sent, nothing else (no fonts, stylesheets or requests).
 */
export const MESSAGE_FRAME_POLICY = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'";

/** What never belongs in a message shown to its sender: active or fetching elements. */
const FORBID_TAGS = [
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'base',
  'link',
  'meta',
  'iframe',
  'object',
  'embed',
];

/**
 * A sent message's HTML as a complete document for a sandboxed frame: sanitised by DOMPurify (no
 * scripts, handlers or javascript: links), with the frame's policy first in its head.
 */
export function messageDocument(html: string): string {
  const clean = DOMPurify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    FORBID_TAGS,
    FORBID_ATTR: ['srcset'],
  });
  const doc = new DOMParser().parseFromString(clean, 'text/html');
  const policy = doc.createElement('meta');
  policy.httpEquiv = 'Content-Security-Policy';
  policy.content = MESSAGE_FRAME_POLICY;
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  // Mail is written for a white page; the frame keeps it that way in dark mode too (as mail clients do).
  const base = doc.createElement('style');
  base.textContent =
    'html{background:#fff;color:#1d2330;color-scheme:light}body{margin:12px 16px;font-family:system-ui,sans-serif;overflow-wrap:anywhere}img{max-width:100%}';
  doc.head.prepend(policy, charset, base);
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

/**
 * The message body as sent, in a frame with an empty sandbox: no scripts, no same-origin access, no
 * forms, no pop-ups, no navigation of the window. The frame scrolls on its own; the pane around it
 * keeps its headers and toolbar in place.
 */
export function MessageFrame({ html, title }: { html: string; title: string }) {
  const srcDoc = useMemo(() => messageDocument(html), [html]);
  return <iframe className="message-frame" sandbox="" srcDoc={srcDoc} title={title} />;
}
