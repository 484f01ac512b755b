import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftContentInput } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

/** Saved this long after the last edit... */
export const AUTOSAVE_DELAY_MS = 1500;
/** ...and at least this often while the user keeps typing, so a crash loses at most a few seconds. */
export const AUTOSAVE_MAX_WAIT_MS = 4000;

export type SaveState =
  | { kind: 'saved'; at: string | null }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'failed'; error: MailroomError };

/**
 * Autosaves a draft through the core: a few seconds after an edit, on leaving the page or closing the
 * window, and when the component goes away. `content` is read when a save starts, so the latest
 * keystrokes are always what is written.
 */
export function useAutosave(draftId: string, content: () => DraftContentInput, enabled: boolean) {
  const [state, setState] = useState<SaveState>({ kind: 'saved', at: null });
  const dirty = useRef(false);
  const firstDirtyAt = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);
  const contentRef = useRef(content);
  const enabledRef = useRef(enabled);
  useEffect(() => {
    contentRef.current = content;
    enabledRef.current = enabled;
  });

  const save = useCallback(async (): Promise<boolean> => {
    window.clearTimeout(timer.current);
    // One save at a time; a save asked for meanwhile runs after it with the newer content.
    while (inFlight.current) await inFlight.current;
    if (!dirty.current || !enabledRef.current) return true;
    dirty.current = false;
    setState({ kind: 'saving' });
    let succeeded = false;
    const run = mailroom()
      .saveDraft({ id: draftId, content: contentRef.current() })
      .then((result) => {
        succeeded = result.ok;
        if (result.ok) {
          if (!dirty.current) setState({ kind: 'saved', at: result.value.updatedAt });
        } else {
          dirty.current = true;
          setState({ kind: 'failed', error: result.error });
        }
      });
    inFlight.current = run;
    await run;
    inFlight.current = null;
    return succeeded;
  }, [draftId]);

  const markDirty = useCallback(() => {
    if (!enabledRef.current) return;
    const now = Date.now();
    if (!dirty.current) firstDirtyAt.current = now;
    dirty.current = true;
    setState((s) => (s.kind === 'unsaved' ? s : { kind: 'unsaved' }));
    window.clearTimeout(timer.current);
    const wait = Math.max(0, Math.min(AUTOSAVE_DELAY_MS, firstDirtyAt.current + AUTOSAVE_MAX_WAIT_MS - now));
    timer.current = window.setTimeout(() => void save(), wait);
  }, [save]);

  /** After sending or discarding: nothing more to save, and closing the window must not ask. */
  const forget = useCallback(() => {
    window.clearTimeout(timer.current);
    dirty.current = false;
    setState({ kind: 'saved', at: null });
  }, []);

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirty.current) return;
      // Start the save now (the request reaches the core even if the page goes away), and ask.
      void save();
      event.preventDefault();
      event.returnValue = '';
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden' && dirty.current) void save();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('visibilitychange', onHidden);
      // Leaving the compose route inside the page (browser host) is a close too.
      if (dirty.current) void save();
      window.clearTimeout(timer.current);
    };
  }, [save]);

  return { state, markDirty, save, forget };
}
