import { DISCOVERY_DEADLINE_MS } from '../../../shared/domain/discovery';
import { StepList, type StepRow } from './step-list';
import { COUNTDOWN_AFTER_MS, secondsLeft, useNow } from './use-now';

/** While discovery runs: where Mailroom is looking, how long it may still take, and a way out to the form. */
export function DiscoveryProgress({
  domain,
  steps,
  startedAt,
  onStop,
}: {
  domain: string | undefined;
  steps: StepRow[];
  startedAt: number;
  onStop: () => void;
}) {
  const now = useNow(true);
  const waited = now - startedAt;
  return (
    <section aria-labelledby="discovery-heading" aria-busy="true">
      <h3 id="discovery-heading" tabIndex={-1}>
        Looking up the settings for {domain}…
      </h3>
      {waited >= COUNTDOWN_AFTER_MS && (
        <p className="field-help" data-countdown>
          Waiting for answers from the places below: at most{' '}
          {secondsLeft(startedAt, DISCOVERY_DEADLINE_MS, now)} s more.
        </p>
      )}
      <div role="status" aria-live="polite">
        <StepList label="Where Mailroom is looking" steps={steps} />
      </div>
      <div className="actions">
        <button type="button" onClick={onStop}>
          Stop and enter the settings myself
        </button>
      </div>
    </section>
  );
}
