import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startPostfixDovecot, TEST_DOMAIN, type PostfixDovecot } from '../../test/harness/postfix-dovecot';
import { runChecked } from './processes';

export { TEST_DOMAIN };

/** The environment variable the peers and workers read the harness password from (never argv, never a file). */
export const PASSWORD_ENV = 'MAILROOM_BENCH_SMTP_PASSWORD';

export interface BenchMta extends PostfixDovecot {
  /** Messages Postfix has delivered to the Maildir and the bench has not yet cleared. */
  deliveredCount(): number;
  /** Waits until Postfix has delivered `count` messages, then deletes them (100 MB messages add up). */
  drain(count: number, timeoutMs: number): Promise<void>;
  /** The environment that gives the password to peers and workers. */
  secretEnv(): NodeJS.ProcessEnv;
}

/**
 * The test harness's Postfix + Dovecot (587 STARTTLS-required + AUTH), with the size limits raised for
 * the 100 MB benchmark: the harness caps messages at 10 MB and Postfix's virtual delivery at 50 MB.
 * Only this instance's own main.cf (in its temp dir) is changed.
 */
export async function startBenchMta(): Promise<BenchMta> {
  const mta = await startPostfixDovecot();
  const conf = join(mta.dir, 'postfix');
  try {
    await runChecked('postconf', [
      '-c',
      conf,
      '-e',
      'message_size_limit=419430400',
      'virtual_mailbox_limit=0',
      'mailbox_size_limit=0',
    ]);
    await runChecked('sh', ['-c', `postfix -c '${conf}' reload </dev/null >>'${mta.dir}/reload.log' 2>&1`]);
    // smtpd processes started before the reload finish their sessions with the old limit; none exist yet.
    await new Promise((r) => setTimeout(r, 1_000));
  } catch (error) {
    await mta.stop();
    throw error;
  }
  const mailRoot = join(mta.dir, 'mail');

  const deliveredFiles = (): string[] => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (dir.endsWith('/new') || dir.endsWith('/cur')) files.push(full);
      }
    };
    walk(mailRoot);
    return files;
  };

  return {
    ...mta,
    deliveredCount: () => deliveredFiles().length,
    async drain(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const files = deliveredFiles();
        if (files.length >= count) {
          for (const file of files) rmSync(file, { force: true });
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Postfix delivered only ${files.length} of ${count} messages within ${timeoutMs} ms; see ${mta.dir}/postfix.log`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    secretEnv: () => ({ [PASSWORD_ENV]: mta.password }),
  };
}

/**
 * msmtp against the submission port: STARTTLS, certificate checked against the harness's CA (never
 * switched off), AUTH with the password from the environment.
 */
export function msmtpArgs(mta: PostfixDovecot): string[] {
  return [
    '--host=127.0.0.1',
    `--port=${mta.submissionPort}`,
    '--tls=on',
    '--tls-starttls=on',
    `--tls-trust-file=${mta.caFile}`,
    '--auth=on',
    `--user=${mta.user}`,
    `--passwordeval=printf '%s\\n' "$${PASSWORD_ENV}"`,
    `--from=${mta.user}`,
  ];
}

/** swaks reads options from SWAKS_OPT_* variables too: the password goes there, not on the command line. */
export function swaksEnv(mta: PostfixDovecot): NodeJS.ProcessEnv {
  return { SWAKS_OPT_auth_password: mta.password };
}

/** swaks against the submission port: STARTTLS with the certificate verified against the harness's CA. */
export function swaksArgs(mta: PostfixDovecot): string[] {
  return [
    '--server',
    '127.0.0.1',
    '--port',
    String(mta.submissionPort),
    '--tls',
    '--tls-verify',
    '--tls-ca-path',
    mta.caFile,
    '--auth',
    'PLAIN',
    '--auth-user',
    mta.user,
    '--from',
    mta.user,
    '--suppress-data',
  ];
}
