/** A live list of steps (discovery or verification): what is pending, running, passed or failed. */
export interface StepRow {
  key: string;
  label: string;
  status: 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'found' | 'nothing';
  ms?: number | undefined;
  detail?: string | undefined;
}

const STATUS_TEXT: Record<StepRow['status'], string> = {
  pending: 'Waiting',
  running: 'Running…',
  passed: 'Passed',
  failed: 'Failed',
  skipped: 'Skipped',
  found: 'Found',
  nothing: 'Nothing here',
};

const STATUS_ICON: Record<StepRow['status'], string> = {
  pending: '○',
  running: '◌',
  passed: '✓',
  failed: '✗',
  skipped: '–',
  found: '✓',
  nothing: '–',
};

export function StepList({ steps, label }: { steps: StepRow[]; label: string }) {
  return (
    <ol className="step-list" aria-label={label}>
      {steps.map((step) => (
        <li
          key={step.key}
          className={`step step-${step.status}`}
          data-step={step.key}
          data-status={step.status}
        >
          <span className="step-icon" aria-hidden="true">
            {STATUS_ICON[step.status]}
          </span>
          <span className="step-label">{step.label}</span>
          <span className="step-status">
            {STATUS_TEXT[step.status]}
            {step.ms !== undefined && step.status !== 'running' ? ` (${Math.round(step.ms)} ms)` : ''}
          </span>
          {step.detail && <span className="step-detail">{step.detail}</span>}
        </li>
      ))}
    </ol>
  );
}

/** Merges a progress event into the list, keeping the order steps first appeared in. */
export function upsertStep(steps: StepRow[], row: StepRow): StepRow[] {
  const index = steps.findIndex((s) => s.key === row.key);
  if (index === -1) return [...steps, row];
  const next = steps.slice();
  next[index] = { ...steps[index]!, ...row };
  return next;
}
