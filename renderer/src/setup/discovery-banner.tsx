import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { mailroom } from '../mailroom-api';

/** What discovery found (and from where), or that it found nothing, above the server form. */
export function DiscoveryBanner({ result }: { result: DiscoveryResult | null }) {
  if (!result) return null;
  if (!result.found) {
    return (
      <div className="notice notice-warning" role="status">
        <p className="notice-message">
          {result.problem?.message ?? `Mailroom could not find the settings for ${result.domain}.`}
        </p>
        <p className="notice-hint">
          {result.problem?.hint ?? 'Enter them from your provider’s setup guide.'}
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice-info" role="status" data-source={result.sourceKind}>
      <p className="notice-message">
        Found settings — <strong>{result.source}</strong>. Check them below; you can change anything.
      </p>
      {result.notes.map((note) => (
        <p key={note} className="notice-hint">
          {note}
        </p>
      ))}
      {result.instructionsUrl && (
        <p>
          <button
            type="button"
            className="link-button"
            onClick={() => void mailroom().openExternal({ url: result.instructionsUrl! })}
          >
            Open {result.provider?.name ?? 'the provider'}’s setup instructions
          </button>
        </p>
      )}
    </div>
  );
}
