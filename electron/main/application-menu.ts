import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../shared/ipc/contract';

type MenuCommand = EventPayload<'menuCommand'>['command'];

/**
 * The standard menu on every platform (macOS app menu, File/Edit/View/Window/Help), with our commands
 * sent to the focused window as menuCommand events: the renderer decides what "Send" means there.
 */
export function buildApplicationMenu(
  focusedWindow: () => BrowserWindow | undefined,
  send: (window: BrowserWindow, command: MenuCommand) => void,
): Menu {
  const isMac = process.platform === 'darwin';
  const command =
    (name: MenuCommand): MenuItemConstructorOptions['click'] =>
    () => {
      const window = focusedWindow();
      if (window) send(window, name);
    };
  const preferences: MenuItemConstructorOptions = {
    label: isMac ? 'Settings…' : 'Preferences…',
    accelerator: 'CmdOrCtrl+,',
    click: command('preferences'),
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: app.name,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              preferences,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '&File',
      submenu: [
        { label: '&New Message', accelerator: 'CmdOrCtrl+N', click: command('newMessage') },
        { label: '&Send', accelerator: 'CmdOrCtrl+Enter', click: command('send') },
        { type: 'separator' },
        { label: '&Outbox', accelerator: 'CmdOrCtrl+Shift+O', click: command('outbox') },
        { label: '&Accounts', click: command('accounts') },
        ...(isMac
          ? []
          : [
              { type: 'separator' } as const,
              preferences,
              { type: 'separator' } as const,
              { role: 'quit' } as const,
            ]),
        ...(isMac ? [{ type: 'separator' } as const, { role: 'close' } as const] : []),
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const]),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
