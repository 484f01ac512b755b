import type { MailroomApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the browser host's bridge; the renderer cannot tell which. */
    mailroom: MailroomApi & {
      /** Electron only (preload, webUtils): the path of a dropped file. Absent in the browser host. */
      pathForDroppedFile?: (file: File) => string;
    };
  }
}

export function mailroom(): MailroomApi {
  if (!window.mailroom) {
    throw new Error('Mailroom’s connection to the app is missing (no preload or bridge loaded).');
  }
  return window.mailroom;
}
