// Outline glyphs for the sidebar's places (Material Symbols paths, Apache-2.0), drawn in currentColor
// so they follow the theme. Decorative: every place also carries its name as visible text.

export type PlaceKind = 'compose' | 'drafts' | 'outbox' | 'sent' | 'accounts';

const PATHS: Record<PlaceKind, string> = {
  compose:
    'M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z',
  drafts:
    'M14 2H6c-1.1 0-2 .9-2 2v16c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V8l-6-6zM6 20V4h7v5h5v11H6zm2-6h8v2H8v-2zm0 3h5v2H8v-2z',
  outbox:
    'M19 3H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V5c0-1.1-.9-2-2-2zm0 12h-4c0 1.66-1.34 3-3 3s-3-1.34-3-3H5V5h14v10zM8 11h2v3h4v-3h2l-4-4-4 4z',
  sent: 'M2.01 21 23 12 2.01 3 2 10l15 2-15 2zM4.01 8.25V6.03l7.51 3.22-7.51-.99zm.01 9.72v-2.22l7.5-1-7.5 3.22z',
  accounts:
    'M12 6a2 2 0 1 1 0 4 2 2 0 0 1 0-4m0 9c2.7 0 5.8 1.29 6 2v1H6v-.99c.2-.72 3.3-2.01 6-2.01m0-11C9.79 4 8 5.79 8 8s1.79 4 4 4 4-1.79 4-4-1.79-4-4-4zm0 9c-2.67 0-8 1.34-8 4v3h16v-3c0-2.66-5.33-4-8-4z',
};

export function PlaceIcon({ kind }: { kind: PlaceKind }) {
  return (
    <svg
      className="place-icon"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[kind]} fill="currentColor" />
    </svg>
  );
}
