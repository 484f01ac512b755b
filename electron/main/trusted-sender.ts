import type { IpcMainInvokeEvent, WebContents } from 'electron';

/**
 * Only our own windows, only their main frame, only our own page may call the core.
 * (A compromised or navigated frame must not reach SMTP credentials.)
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  ownWindows: ReadonlySet<WebContents>,
  isOwnUrl: (url: string) => boolean,
): boolean {
  if (!ownWindows.has(event.sender)) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isOwnUrl(frame.url);
}

/** Our renderer is either the packaged index.html (file:) or, in development, the Vite dev server. */
export function makeOwnUrlCheck(
  rendererFileUrl: string,
  devServerUrl: string | undefined,
): (url: string) => boolean {
  const expected = new URL(rendererFileUrl);
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  return (raw: string) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') return url.pathname === expected.pathname;
    if (dev) return url.origin === dev.origin;
    return false;
  };
}
