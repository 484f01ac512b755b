import { useSyncExternalStore } from 'react';

// A compose window shows the renderer at #/compose/<draftId>: its own BrowserWindow in Electron, the
// same page in the browser host. A hash route needs no server support and survives a reload.

const ROUTE = /^#\/compose\/([a-z0-9-]{8,64})$/;

export function composeHash(draftId: string): string {
  return `#/compose/${draftId}`;
}

export function draftIdFromHash(hash: string): string | null {
  return ROUTE.exec(hash)?.[1] ?? null;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The draft the page is showing, or null when it is not on a compose route. */
export function useComposeRoute(): string | null {
  return useSyncExternalStore(subscribe, () => draftIdFromHash(window.location.hash));
}

export function showCompose(draftId: string): void {
  window.location.hash = composeHash(draftId);
}

export function leaveCompose(): void {
  if (draftIdFromHash(window.location.hash) === null) return;
  // Drop the hash without adding a history entry that would reopen a sent draft on Back.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** True in a compose window of its own (Electron loads it with ?window=compose). */
export function isStandaloneComposeWindow(): boolean {
  return new URLSearchParams(window.location.search).get('window') === 'compose';
}
