import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../../../bin/mailroom.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document --json promises (throws if it is anything else). */
  json<T = Record<string, unknown>>(): T;
}

/**
 * Runs `node bin/mailroom.mjs ARGS` as a user would (asynchronously: in-process test servers keep
 * answering meanwhile). stdin gets `input` (or nothing: closed at once); stdout/stderr are pipes,
 * so the CLI sees no terminal.
 */
export function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? resolve(__dirname, '../../../..'),
      env: { ...process.env, MAILROOM_PROFILE: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        code: code ?? -1,
        stdout,
        stderr,
        json: <T>() => {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(
              `mailroom ${args.join(' ')} (exit ${code}) printed no JSON document.\nstdout: ${stdout}\nstderr: ${stderr}`,
            );
          }
        },
      }),
    );
    child.stdin.end(options.input ?? '');
  });
}

export function tempProfile(label: string): string {
  return mkdtempSync(join(tmpdir(), `mailroom-cli-${label}-`));
}

/** Every way the password could show up in output: as typed, and inside a SASL PLAIN/LOGIN blob. */
export function secretForms(user: string, password: string): string[] {
  return [
    password,
    Buffer.from(`\0${user}\0${password}`).toString('base64'),
    Buffer.from(password).toString('base64'),
  ];
}
