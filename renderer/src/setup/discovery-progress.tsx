import { StepList, type StepRow } from './step-list';

/** While discovery runs: where Mailroom is looking, and a way out to the form. */
export function DiscoveryProgress({
  domain,
  steps,
  onStop,
}: {
  domain: string | undefined;
  steps: StepRow[];
  onStop: () => void;
}) {
  return (
    <section aria-labelledby="discovery-heading" aria-busy="true">
      <h3 id="discovery-heading" tabIndex={-1}>
        Looking up the settings for {domain}…
      </h3>
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
