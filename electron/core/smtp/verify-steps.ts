import type { VerifyStep, VerifyStepName } from '../../../shared/domain/verification';
import { VERIFY_STEP_LABELS } from '../../../shared/domain/verification';
import type { MailroomError } from '../../../shared/result';

/** The steps of one settings check: their order, status and timing, reported live through onStep. */

export class Steps {
  private readonly steps = new Map<VerifyStepName, VerifyStep>();
  private readonly started = new Map<VerifyStepName, number>();
  current: VerifyStepName | undefined;

  constructor(
    names: VerifyStepName[],
    private readonly onStep: (step: VerifyStep) => void,
    /** The longest a step waits for the server before it fails: windows count it down. */
    private readonly waitLimitMs?: number,
  ) {
    for (const name of names)
      this.steps.set(name, { name, label: VERIFY_STEP_LABELS[name], status: 'pending' });
    for (const step of this.steps.values()) this.emit(step);
  }

  private emit(step: VerifyStep) {
    try {
      this.onStep({ ...step });
    } catch {
      // A listener's problem must not break the check itself.
    }
  }

  private update(name: VerifyStepName, patch: Partial<VerifyStep>) {
    const step = {
      ...(this.steps.get(name) ?? { name, label: VERIFY_STEP_LABELS[name], status: 'pending' as const }),
      ...patch,
    };
    this.steps.set(name, step);
    this.emit(step);
  }

  has(name: VerifyStepName) {
    return this.steps.has(name);
  }

  start(name: VerifyStepName) {
    this.current = name;
    this.started.set(name, Date.now());
    this.update(name, {
      status: 'running',
      ...(this.waitLimitMs !== undefined ? { timeoutMs: this.waitLimitMs } : {}),
    });
  }

  pass(name: VerifyStepName, detail?: string) {
    const t0 = this.started.get(name);
    this.update(name, {
      status: 'passed',
      timeoutMs: undefined,
      ...(t0 !== undefined ? { ms: Date.now() - t0 } : {}),
      ...(detail ? { detail } : {}),
    });
    if (this.current === name) this.current = undefined;
  }

  fail(name: VerifyStepName, error: MailroomError, detail?: string) {
    const t0 = this.started.get(name);
    this.update(name, {
      status: 'failed',
      timeoutMs: undefined,
      code: error.code,
      detail: detail ?? error.message,
      ...(t0 !== undefined ? { ms: Date.now() - t0 } : {}),
    });
  }

  skip(name: VerifyStepName, detail: string) {
    this.update(name, { status: 'skipped', detail });
  }

  /** Steps that never ran after a failure are reported as skipped, not left pending. */
  finish(): VerifyStep[] {
    for (const step of this.steps.values()) {
      if (step.status === 'pending')
        this.update(step.name as VerifyStepName, { status: 'skipped', detail: 'Not reached' });
      if (step.status === 'running') this.update(step.name as VerifyStepName, { status: 'failed' });
    }
    return [...this.steps.values()];
  }
}
