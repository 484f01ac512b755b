import type { MailroomError } from '../../../shared/result';
import type { CliIo } from '../cli-io';

/**
 * Everything a command says to a person. In --json mode it stays silent on stdout (the one JSON
 * document is the whole answer there) and on stderr shows no progress, only problems the JSON
 * cannot carry. Progress is live on a terminal (rewritten in place on stderr) and plain finished
 * lines otherwise, so a log file reads like a report.
 */
export class HumanOutput {
  /** Whether live progress can be drawn: a terminal on stderr, and not --json. */
  readonly live: boolean;
  private pending = false;

  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {
    this.live = !json && io.stderr.isTTY === true;
  }

  /** A line of the result (stdout). */
  line(text = ''): void {
    if (this.json) return;
    this.clearPending();
    this.io.stdout.write(`${text}\n`);
  }

  /** A remark about what is happening (stderr), e.g. "Waiting for the app to deliver it". */
  note(text: string): void {
    if (this.json) return;
    this.clearPending();
    this.io.stderr.write(`${text}\n`);
  }

  /** Something in progress: drawn on a terminal only, replaced by the next line. */
  progress(text: string): void {
    if (!this.live) return;
    this.io.stderr.write(`\r\x1b[K${text}`);
    this.pending = true;
  }

  /** A step that finished: replaces its progress line on a terminal, a plain line otherwise. */
  done(text: string): void {
    if (this.json) return;
    if (this.live) {
      this.io.stderr.write(`\r\x1b[K${text}\n`);
      this.pending = false;
    } else {
      this.io.stdout.write(`${text}\n`);
    }
  }

  /** What went wrong and what to do next (stderr). */
  error(error: MailroomError): void {
    if (this.json) return;
    this.clearPending();
    this.io.stderr.write(`Error (${error.code}): ${error.message}\n`);
    if (error.hint) this.io.stderr.write(`What to do: ${error.hint}\n`);
  }

  /** Internal diagnostics (a core handler threw): stderr in every mode, never on stdout. */
  debug(text: string): void {
    this.clearPending();
    this.io.stderr.write(`${text}\n`);
  }

  private clearPending(): void {
    if (this.pending) {
      this.io.stderr.write('\r\x1b[K');
      this.pending = false;
    }
  }
}

/** "12 ms" / "2.1 s": durations the way people read them. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Columns padded to the widest cell, for small tables. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
