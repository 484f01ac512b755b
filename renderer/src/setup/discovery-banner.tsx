import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { mailroom } from '../mailroom-api';
import { StepList } from './step-list';

/**
 * What discovery found (and from where), or that it found nothing and why; with the list of what
 * was tried and how each place answered, kept after the lookup ended.
 */
export function DiscoveryBanner({
  result,
  showNotes = true,
  showNotFound = true,
}: {
  result: DiscoveryResult | null;
  /** false when the provider's notes are shown elsewhere (the app-password steps). */
  showNotes?: boolean;
  /** false once these settings worked: a "could not find" belongs to the lookup, not to a check that passed. */
  showNotFound?: boolean;
}) {
  if (!result) return null;
  const tried = (
    <details className="discovery-steps" open={!result.found && showNotFound}>
      <summary>What Mailroom tried for {result.domain}</summary>
      <StepList
        label="What Mailroom tried"
        steps={result.steps.map((s) => ({
          key: s.step,
          label: s.label,
          status: s.status,
          detail: s.detail,
        }))}
      />
    </details>
  );
  if (!result.found) {
    return (
      <div className="notice notice-warning" role="status" data-discovery="not-found">
        {showNotFound && (
          <>
            <p className="notice-message">
              {result.problem?.message ?? `Mailroom could not find the settings for ${result.domain}.`}
            </p>
            <p className="notice-hint">
              {result.problem?.hint ?? 'Enter them from your provider’s setup guide.'}
            </p>
          </>
        )}
        {tried}
      </div>
    );
  }
  return (
    <div className="notice notice-info" role="status" data-source={result.sourceKind}>
      <p className="notice-message">
        Found settings — <strong>{result.source}</strong>. Check them below; you can change anything.
      </p>
      {showNotes &&
        result.notes.map((note) => (
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
      {tried}
    </div>
  );
}
