import type { SaveState } from './use-autosave';

/** The autosave state next to the heading, announced as it changes. */
export function SaveStatus({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saving'
      ? 'Saving draft…'
      : state.kind === 'unsaved'
        ? 'Unsaved changes'
        : state.kind === 'failed'
          ? `Draft not saved: ${state.error.message}`
          : state.at
            ? 'Draft saved'
            : '';
  return (
    <span className={state.kind === 'failed' ? 'save-status form-problem' : 'save-status'} role="status">
      {text}
    </span>
  );
}
