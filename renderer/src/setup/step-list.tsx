import { COUNTDOWN_AFTER_MS, secondsLeft, useNow } from './use-now';

/** A live list of steps (discovery or verification): what is pending, running, passed or failed. */
export interface StepRow {
  key: string;
  label: string;
  status: 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'found' | 'nothing';
  ms?: number | undefined;
  detail?: string | undefined;
  /** When this page saw the step start running (its own clock: the core's may differ). */
  startedAt?: number | undefined;
  /** The longest the step may wait before it fails, when the core said. */
  timeoutMs?: number | undefined;
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

/** What a running step waits for, and how long it may still take, once the wait is noticeable. */
function waiting(step: StepRow, now: number): string | undefined {
  if (step.status !== 'running' || step.startedAt === undefined || step.timeoutMs === undefined) return;
  if (now - step.startedAt < COUNTDOWN_AFTER_MS) return;
  const left = secondsLeft(step.startedAt, step.timeoutMs, now);
  return `Waiting for the server: ${step.label}. Gives up in ${left} s if it does not answer.`;
}

export function StepList({ steps, label }: { steps: StepRow[]; label: string }) {
  const counting = steps.some((s) => s.status === 'running' && s.timeoutMs !== undefined);
  const now = useNow(counting);
  return (
    <ol className="step-list" aria-label={label}>
      {steps.map((step) => {
        const wait = waiting(step, now);
        return (
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
            {wait ? (
              <span className="step-detail step-countdown" data-countdown>
                {wait}
              </span>
            ) : (
              step.detail && <span className="step-detail">{step.detail}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** Merges a progress event into the list, keeping the order steps first appeared in. */
export function upsertStep(steps: StepRow[], row: StepRow): StepRow[] {
  const index = steps.findIndex((s) => s.key === row.key);
  const previous = index === -1 ? undefined : steps[index];
  // A step's wait starts when it starts running, not at every event it sends meanwhile.
  const startedAt =
    row.status === 'running' ? (previous?.status === 'running' ? previous.startedAt : Date.now()) : undefined;
  const merged = { ...previous, ...row, startedAt };
  if (index === -1) return [...steps, merged];
  const next = steps.slice();
  next[index] = merged;
  return next;
}
