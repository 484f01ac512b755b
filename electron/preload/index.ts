import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, wireName } from '../../shared/ipc/channel-names';

// The only file that touches ipcRenderer. It exposes exactly one function per contract channel and
// one subscription per event; never a generic send/invoke/on. Listeners get the payload only, never
// the IpcRendererEvent (which would hand the page ipcRenderer.sender).

const api: Record<string, unknown> = {};

for (const channel of INVOKE_CHANNELS) {
  const name = wireName(channel);
  api[channel] = (request: unknown) => ipcRenderer.invoke(name, request);
}

for (const event of EVENT_CHANNELS) {
  const name = wireName(event);
  api[listenerName(event)] = (listener: (payload: unknown) => void) => {
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(name, forward);
    return () => {
      ipcRenderer.removeListener(name, forward);
    };
  };
}

// Compose's drag-and-drop. The page hands over the dropped File objects, and this isolated world
// turns them into paths: the page can neither read a path nor name one (a File it makes itself has
// no path), so a script in the page can attach only what the user dropped. Only paths cross, never
// contents; the core grants them and stats the files. (Code running in the renderer process outside
// this world, after a Chromium compromise, could still send paths on this channel: see SECURITY.md.)
api['attachDroppedFiles'] = (request: { draftId?: unknown; files?: unknown }) => {
  const files = Array.isArray(request?.files) ? request.files : [];
  const paths = files.map(pathOfDroppedFile).filter((path) => path !== '');
  return ipcRenderer.invoke(wireName('attachDroppedFiles'), { draftId: request?.draftId, paths });
};

/** '' for anything that is not a File the user dropped or chose (webUtils throws for a non-File). */
function pathOfDroppedFile(file: unknown): string {
  try {
    return webUtils.getPathForFile(file as File);
  } catch {
    return '';
  }
}

contextBridge.exposeInMainWorld('mailroom', Object.freeze(api));
