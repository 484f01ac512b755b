import { useSyncExternalStore } from 'react';
import type { SendStatus } from '../../../shared/domain/outbox';

// The latest sendStatus per requestId, collected from the moment this module loads: the events for a
// send can arrive before the component that shows them mounts (they come ahead of sendMessage's
// answer), so a component reading them later still sees the whole story.

const statuses = new Map<string, SendStatus>();
const listeners = new Set<() => void>();
let listening = false;

function listen(): void {
  if (listening || typeof window === 'undefined' || !window.mailroom) return;
  listening = true;
  window.mailroom.onSendStatus((status) => {
    statuses.set(status.requestId, status);
    for (const listener of listeners) listener();
  });
}
listen();

function subscribe(listener: () => void): () => void {
  listen();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The latest status of one send (by the requestId passed to sendMessage), live. */
export function useSendStatus(requestId: string | null | undefined): SendStatus | undefined {
  return useSyncExternalStore(subscribe, () => (requestId ? statuses.get(requestId) : undefined));
}
