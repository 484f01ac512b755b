import type { MailroomApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the browser host's bridge; the renderer cannot tell which. */
    mailroom: MailroomApi;
  }
}

export function mailroom(): MailroomApi {
  if (!window.mailroom) {
    throw new Error('Mailroom’s connection to the app is missing (no preload or bridge loaded).');
  }
  return window.mailroom;
}
