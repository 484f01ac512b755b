import { PlaceIcon, type PlaceKind } from './place-icons';
import { usePlaceCounts } from './use-place-counts';

/** The window's places, in the order the sidebar shows them (after New message). */
const PLACES: readonly { kind: Exclude<PlaceKind, 'compose'>; label: string }[] = [
  { kind: 'drafts', label: 'Drafts' },
  { kind: 'outbox', label: 'Outbox' },
  { kind: 'sent', label: 'Sent' },
  { kind: 'accounts', label: 'Accounts' },
];

interface Props {
  current: PlaceKind | null;
  onGo: (place: PlaceKind) => void;
}

/**
 * The sidebar of a desktop mail client: New message on top, then the places with their counts. On a
 * narrow window it becomes a rail of icons, each still labelled underneath.
 */
export function Sidebar({ current, onGo }: Props) {
  const counts = usePlaceCounts(current ?? '');
  const currentProps = (kind: PlaceKind) => (current === kind ? { 'aria-current': 'page' as const } : {});

  return (
    <header className="sidebar">
      <h1 className="brand">Mailroom</h1>
      <nav aria-label="Main">
        <button
          type="button"
          className="new-message-button"
          title="New message"
          {...currentProps('compose')}
          onClick={() => onGo('compose')}
        >
          <PlaceIcon kind="compose" />
          <span className="place-label">New message</span>
        </button>
        <ul className="places">
          {PLACES.map((place) => (
            <li key={place.kind}>
              <button
                type="button"
                className="place"
                title={place.label}
                data-place={place.kind}
                {...currentProps(place.kind)}
                onClick={() => onGo(place.kind)}
              >
                <PlaceIcon kind={place.kind} />
                <span className="place-label">{place.label}</span>
                <span className="place-counts">
                  {place.kind === 'drafts' && counts.drafts > 0 && (
                    <Count value={counts.drafts} label={counts.drafts === 1 ? 'draft' : 'drafts'} />
                  )}
                  {place.kind === 'outbox' && counts.queued > 0 && (
                    <Count value={counts.queued} label="queued" />
                  )}
                  {place.kind === 'outbox' && counts.failed > 0 && (
                    <Count value={counts.failed} label="failed" tone="alert" />
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

function Count({ value, label, tone }: { value: number; label: string; tone?: 'alert' }) {
  return (
    <span className={tone === 'alert' ? 'count count-alert' : 'count'} data-count={label}>
      <span className="count-value">{value}</span>
      <span className="visually-hidden"> {label}</span>
    </span>
  );
}
