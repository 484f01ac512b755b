import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { verifySmtpSettings } from '../../electron/core/smtp/smtp-verify';
import type { BenchContext } from '../support/context';
import { msmtpArgs, swaksArgs, swaksEnv } from '../support/mta';
import { DEFAULT_INSTALL_ENV, ROOT, extraCaCertsSet, runChecked, runTimed } from '../support/processes';
import { ratioText, type BenchResult, type Ratio } from '../support/report';
import { formatSummaryMs, summarize } from '../support/stats';

/**
 * A full settings check against the same Postfix (587, STARTTLS + AUTH): Mailroom's diagnostics
 * (in the running app's process, and as the `mailroom verify` CLI process) vs
 * `swaks --quit-after AUTH` and `msmtp --serverinfo`.
 */
export async function verificationBenchmark(ctx: BenchContext): Promise<BenchResult> {
  const { mta } = ctx;
  const runs = ctx.quick ? 5 : 9;
  const settings = {
    host: mta.host,
    port: mta.submissionPort,
    security: 'starttls' as const,
    authMethod: 'password' as const,
    username: mta.user,
    allowUnencrypted: false,
    caFile: mta.caFile,
  };
  const inProcess: number[] = [];
  const cli: number[] = [];
  const cliAsIs: number[] = [];
  const verifyArgs = [
    'verify',
    '--host',
    mta.host,
    '--port',
    String(mta.submissionPort),
    '--security',
    'starttls',
    '--user',
    mta.user,
    '--password-stdin',
    '--ca',
    mta.caFile,
    '--json',
  ];
  const swaks: number[] = [];
  const msmtp: number[] = [];
  let cliProblem: string | undefined;

  // The CLI as shipped: its bundle (and code cache) built from the sources being measured, as
  // `npm ci`/`npm run build` leave it.
  await runChecked(process.execPath, [resolve(ROOT, 'scripts/build-cli.mjs')]);
  // One untimed warm-up: the first TLS session of a fresh Postfix pays for starting its tlsmgr.
  await verifySmtpSettings(settings, { password: mta.password, timeoutMs: 10_000 });

  for (let run = 0; run < runs; run++) {
    ctx.progress(`verification: run ${run + 1}/${runs}`);
    const t0 = performance.now();
    const report = await verifySmtpSettings(settings, { password: mta.password, timeoutMs: 10_000 });
    inProcess.push(performance.now() - t0);
    if (report.error || report.auth?.ok !== true)
      throw new Error(
        `Mailroom's check failed: ${report.error?.code ?? ''} ${report.error?.message ?? 'no sign-in'}`,
      );

    if (!cliProblem) {
      // As on a default install (the target), then with this machine's environment when it differs.
      for (const [times, env] of [
        [cli, DEFAULT_INSTALL_ENV],
        ...(extraCaCertsSet() ? [[cliAsIs, {}] as const] : []),
      ] as const) {
        const r = await runTimed(process.execPath, [resolve(ROOT, 'bin/mailroom.mjs'), ...verifyArgs], {
          env,
          stdinText: `${mta.password}\n`,
          timeoutMs: 30_000,
        });
        if (r.code === 0) times.push(r.ms);
        else
          cliProblem = `exit ${String(r.code)}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`;
      }
    }

    const s = await runTimed(
      'swaks',
      [...swaksArgs(mta), '--to', 'peer@mailroom.test', '--quit-after', 'AUTH'],
      {
        env: swaksEnv(mta),
        timeoutMs: 30_000,
      },
    );
    if (s.code !== 0)
      throw new Error(`swaks --quit-after AUTH failed (exit ${String(s.code)}):\n${s.stdout.slice(-1500)}`);
    swaks.push(s.ms);

    const m = await runTimed(
      'msmtp',
      [...msmtpArgs(mta).filter((a) => !a.startsWith('--from')), '--serverinfo'],
      {
        env: mta.secretEnv(),
        timeoutMs: 30_000,
      },
    );
    if (m.code !== 0)
      throw new Error(`msmtp --serverinfo failed (exit ${String(m.code)}):\n${m.stderr.slice(-1500)}`);
    msmtp.push(m.ms);
  }

  const mr = summarize(inProcess);
  const c = summarize(cli);
  const sw = summarize(swaks);
  const ms = summarize(msmtp);
  const ratios: Ratio[] = [
    {
      comparison: 'swaks --quit-after AUTH / Mailroom check (in app)',
      ratio: ratioText(sw.median / mr.median),
      target: '',
      note: '> 1: Mailroom is faster',
    },
    {
      comparison: 'msmtp --serverinfo / Mailroom check (in app)',
      ratio: ratioText(ms.median / mr.median),
      target: '',
      note: 'msmtp does not sign in here',
    },
  ];
  if (cli.length) {
    ratios.push({
      comparison: 'swaks --quit-after AUTH / `mailroom verify` (process)',
      ratio: ratioText(sw.median / c.median),
      target: '>= 0.70x',
      met: sw.median / c.median >= 0.7,
      note: 'process vs process',
    });
  }
  return {
    title: '3. Verification',
    ratios,
    measurements: [
      {
        what: 'Mailroom full check, in the app process (verifySmtpSettings)',
        value: formatSummaryMs(mr),
        note: 'connect, banner, EHLO, STARTTLS, cert checks, EHLO, AUTH',
      },
      {
        what: '`mailroom verify --json` (CLI process)',
        value: cli.length ? formatSummaryMs(c) : 'n/a',
        note: cliProblem
          ? `CLI did not pass: ${cliProblem}`
          : 'includes Node start-up and loading the prebuilt bundle (out/cli); as on a default install',
      },
      ...(cliAsIs.length
        ? [
            {
              what: "`mailroom verify --json`, with this machine's NODE_EXTRA_CA_CERTS",
              value: formatSummaryMs(summarize(cliAsIs)),
              note: `swaks / this: ${ratioText(sw.median / summarize(cliAsIs).median)}`,
            },
          ]
        : []),
      {
        what: 'swaks --tls --tls-verify --auth --quit-after AUTH',
        value: formatSummaryMs(sw),
        note: 'Perl start-up included',
      },
      { what: 'msmtp --serverinfo (STARTTLS, trust file)', value: formatSummaryMs(ms), note: 'no AUTH' },
    ],
    notes: [
      `${runs} runs each, interleaved, after one untimed warm-up check. Every run signs in successfully; Dovecot's auth_failure_delay (2 s) only applies to failed logins, so none is included.`,
      'Peers verify the certificate against the harness CA (msmtp --tls-trust-file, swaks --tls-verify --tls-ca-path); Mailroom adds the CA to its roots (caFile) with validation on.',
      'msmtp --serverinfo stops after the second EHLO (it prints capabilities, no AUTH); swaks stops after AUTH; Mailroom also reads and checks the certificate chain, host name and expiry, and classifies each step.',
    ],
  };
}
