import { ipcMain, type WebContents } from 'electron';
import { INVOKE_CHANNELS, wireName, type EventChannel } from '../../shared/ipc/channel-names';
import { fail } from '../../shared/result';
import { dispatch, type Handlers } from '../core/ipc/dispatch';
import { isTrustedSender } from './trusted-sender';
import type { EventPayload } from '../../shared/ipc/contract';

/** An event on its way to a window, typed by its channel. */
export type TappedEvent = { [E in EventChannel]: { name: E; payload: EventPayload<E> } }[EventChannel];

/**
 * The only file that touches ipcMain. Every channel of the contract is bound here, in the same
 * order for all: sender check, then schema validation and the handler (dispatch).
 */
export function bindContract(
  handlers: Handlers,
  ownWindows: ReadonlySet<WebContents>,
  isOwnUrl: (url: string) => boolean,
  /** Sees every event sent to a window (main shows notifications for finished sends). */
  tapEvent: (event: TappedEvent) => void = () => undefined,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(wireName(channel), async (event, payload: unknown) => {
      if (!isTrustedSender(event, ownWindows, isOwnUrl)) {
        return fail({ code: 'FORBIDDEN_SENDER', message: 'This window may not use Mailroom.' });
      }
      const sender = event.sender;
      return dispatch(handlers, channel, payload, {
        emit: (name, body) => {
          tapEvent({ name, payload: body } as TappedEvent);
          if (!sender.isDestroyed()) sender.send(wireName(name), body);
        },
      });
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(wireName(channel));
  };
}
