import type { VerifyReport } from '../../../shared/domain/verification';
import { StepList, type StepRow } from './step-list';
import { VerificationSummary } from './verification-summary';

/** The live settings check: its steps as they happen, then the summary of the report. */
export function VerificationProgress({
  checking,
  steps,
  report,
}: {
  checking: boolean;
  steps: StepRow[];
  report: VerifyReport | null;
}) {
  return (
    <section className="verification" aria-labelledby="verify-heading" aria-busy={checking}>
      <h3 id="verify-heading">{checking ? 'Checking the settings with the server…' : 'Settings check'}</h3>
      <div role="status" aria-live="polite">
        <StepList label="Settings check steps" steps={steps} />
      </div>
      {report && <VerificationSummary report={report} />}
    </section>
  );
}
