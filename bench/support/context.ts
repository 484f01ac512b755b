import type { BenchMta } from './mta';

/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** The one Postfix + Dovecot every benchmark sends to (absent for benchmarks that need no server). */
  mta: BenchMta;
  quick: boolean;
  /** A scratch directory for this run, removed at the end. */
  workDir: string;
  /** Progress on stderr, so a long run shows what it is doing. */
  progress(message: string): void;
  /** Messages sent to the MTA so far that the next drain must wait for. */
  expectDelivered(count: number): void;
  /** Waits until Postfix has delivered everything sent so far, so one leg's backlog never slows the next. */
  settle(): Promise<void>;
}
