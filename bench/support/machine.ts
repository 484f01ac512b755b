import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { DEFAULT_INSTALL_ENV, extraCaCertsSet, runTimed } from './processes';
import { formatMs, summarize } from './stats';

async function versionOf(command: string, args: string[], pattern: RegExp): Promise<string> {
  try {
    const r = await runTimed(command, args, { timeoutMs: 10_000 });
    return pattern.exec(`${r.stdout}\n${r.stderr}`)?.[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** The machine and the peers' versions, printed at the top of every run (RESULTS.md quotes it). */
export async function describeMachine(): Promise<string> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const [postfix, dovecot, msmtp, swaks, chromium] = await Promise.all([
    versionOf('postconf', ['-d', 'mail_version'], /mail_version = (\S+)/),
    versionOf('dovecot', ['--version'], /^(\S+)/),
    versionOf('msmtp', ['--version'], /msmtp version (\S+)/),
    versionOf('swaks', ['--version'], /swaks version (\S+)/),
    versionOf('/usr/bin/chromium', ['--version'], /Chromium (\S+)/),
  ]);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return [
    ...(extraCaCertsSet() ? [await extraCaCertsCost()] : []),
    `- CPU: ${model}, ${cpus().length} cores (nproc)`,
    `- Memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node ${process.version}; Postfix ${postfix}; Dovecot ${dovecot}; msmtp ${msmtp}; swaks ${swaks}; Chromium ${chromium}`,
    `- Load average at start: ${load}`,
  ].join('\n');
}

/** What NODE_EXTRA_CA_CERTS costs every Node start here: `node -e 0` with and without it. */
async function extraCaCertsCost(): Promise<string> {
  const withIt: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < 5; i++) {
    withIt.push((await runTimed(process.execPath, ['-e', '0'])).ms);
    without.push((await runTimed(process.execPath, ['-e', '0'], { env: DEFAULT_INSTALL_ENV })).ms);
  }
  const ms = (values: number[]) => formatMs(summarize(values).median);
  return (
    `- NODE_EXTRA_CA_CERTS is set on this machine (${process.env.NODE_EXTRA_CA_CERTS ?? ''}): \`node -e 0\` takes ` +
    `${ms(withIt)} with it, ${ms(without)} without. The mailroom CLI's targets are timed without it, as on a ` +
    'default install, and its times with it are shown beside them.'
  );
}
