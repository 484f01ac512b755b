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

// Compose's drag-and-drop: the path of a file dropped on the page (sandboxed pages only see a File).
// Only the path crosses; the core stats and later reads the file. The browser host has no equivalent,
// so there a drop falls back to the attachment picker.
api['pathForDroppedFile'] = (file: File) => webUtils.getPathForFile(file);

contextBridge.exposeInMainWorld('mailroom', Object.freeze(api));
