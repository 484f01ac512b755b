import {
  VERIFY_STEP_LABELS,
  type VerifyReport,
  type VerifyStep,
  type VerifyStepName,
} from '../../../shared/domain/verification';
import { formatMs, table, type HumanOutput } from './human-output';

const MARK: Record<VerifyStep['status'], string> = {
  passed: '✓',
  failed: '✗',
  skipped: '-',
  running: '…',
  pending: ' ',
};

const SECURITY_WORDS: Record<string, string> = {
  tls: 'SSL/TLS',
  starttls: 'STARTTLS',
  none: 'no encryption',
};

export function securityWords(security: string): string {
  return SECURITY_WORDS[security] ?? security;
}

function label(step: VerifyStep): string {
  return step.label ?? VERIFY_STEP_LABELS[step.name as VerifyStepName] ?? step.name;
}

/** One finished step as a line: "  ✓ Connect  12 ms  127.0.0.1:587". */
export function stepLine(step: VerifyStep): string {
  const parts = [`  ${MARK[step.status]} ${label(step)}`];
  if (step.ms !== undefined) parts.push(formatMs(step.ms));
  if (step.detail) parts.push(step.detail);
  return parts.join('  ');
}

/** Live step display: "running" redraws on a terminal, every finished step stays as a line. */
export function stepPrinter(human: HumanOutput): (step: VerifyStep) => void {
  return (step) => {
    if (step.status === 'running') human.progress(`  … ${label(step)}`);
    else if (step.status !== 'pending') human.done(stepLine(step));
  };
}

/** What the check found, after its steps: the verdict, the probe's ports, the server's offer, the fix. */
export function printVerifySummary(human: HumanOutput, report: VerifyReport, passed: boolean): void {
  if (report.probe) {
    human.line();
    human.line(`Ports on ${report.probe.host}:`);
    const rows = report.probe.results.map((r) => [
      `  ${r.ok ? '✓' : '✗'} ${r.port}`,
      securityWords(r.security),
      r.ok ? formatMs(r.ms) : (r.error?.code ?? 'failed'),
    ]);
    for (const row of table(rows)) human.line(row);
    if (report.probe.recommendation) {
      const rec = report.probe.recommendation;
      human.line(`Recommended: port ${rec.port} with ${securityWords(rec.security)}. ${rec.reason}`);
    }
  }
  if (report.summary.length) {
    human.line();
    for (const sentence of report.summary) human.line(sentence);
  }
  human.line();
  const where = report.port
    ? `${report.host}:${report.port} (${securityWords(report.security)})`
    : report.host;
  if (passed) human.line(`OK: ${where} passed every check.`);
  else if (report.error) human.error(report.error);
  else human.line(`Not OK: ${where} did not pass every check.`);
}
