/**
 * One benchmark's results: its measurements (median, min–max over the runs) and the ratios that
 * compare Mailroom with its peers, each against the target when it has one.
 */
export interface Measurement {
  what: string;
  value: string;
  note?: string;
}

export interface Ratio {
  comparison: string;
  /** e.g. "0.97x" */
  ratio: string;
  /** e.g. ">= 0.9x"; empty when the issue sets no target. */
  target: string;
  /** undefined when there is no target to meet. */
  met?: boolean | undefined;
  note?: string;
}

export interface BenchResult {
  title: string;
  measurements: Measurement[];
  ratios: Ratio[];
  notes: string[];
}

export const ratioText = (value: number, digits = 2): string =>
  Number.isFinite(value) ? `${value.toFixed(digits)}x` : 'n/a';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const verdict = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'met' : 'MISSED');

/** Markdown, so the same text reads well in a terminal and pastes straight into RESULTS.md. */
export function renderResult(result: BenchResult): string {
  const parts = [`### ${result.title}`, ''];
  if (result.ratios.length) {
    parts.push(
      table(
        ['comparison', 'ratio', 'target', 'verdict', 'note'],
        result.ratios.map((r) => [r.comparison, r.ratio, r.target, verdict(r.met), r.note ?? '']),
      ),
      '',
    );
  }
  if (result.measurements.length) {
    parts.push(
      table(
        ['measurement', 'median (min–max)', 'note'],
        result.measurements.map((m) => [m.what, m.value, m.note ?? '']),
      ),
      '',
    );
  }
  for (const note of result.notes) parts.push(`- ${note}`);
  if (result.notes.length) parts.push('');
  return parts.join('\n');
}

/** The one table of ratios across every benchmark that ran, printed last. */
export function renderSummary(results: BenchResult[]): string {
  const rows = results.flatMap((r) =>
    r.ratios.map((x) => [
      r.title.replace(/^\d+[a-z]?\.\s*/, ''),
      x.comparison,
      x.ratio,
      x.target,
      verdict(x.met),
    ]),
  );
  return table(['benchmark', 'comparison', 'ratio', 'target', 'verdict'], rows);
}
