import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = resolve(__dirname, '../..');

/**
 * Mailroom's own CLI runs as on a default install: without NODE_EXTRA_CA_CERTS, which a machine may
 * set (this bench's machines do) and which Node reads at every start before any of our code runs
 * (~40 ms for a system bundle). swaks and msmtp never read it. The run says whether it is set here
 * and also times the CLI with it (machine.ts, verification, scaling).
 */
export const DEFAULT_INSTALL_ENV: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: undefined };

/** This machine sets NODE_EXTRA_CA_CERTS (so its Node processes start slower than a default install's). */
export const extraCaCertsSet = (): boolean => Boolean(process.env.NODE_EXTRA_CA_CERTS);

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, as a user running the command would see it. */
  ms: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** A file streamed to the process's stdin (msmtp reads the message from there). */
  stdinFile?: string;
  /** Text written to stdin, then closed (a password for --password-stdin never goes on argv). */
  stdinText?: string;
  timeoutMs?: number;
}

/** Runs one command to completion and times it. Never through a shell: arguments go as they are. */
export function runTimed(command: string, args: string[], options: RunOptions = {}): Promise<RunOutcome> {
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    // A message file is the child's stdin itself (as `cmd < file` in a shell): no pipe through this
    // process that could slow the peer down.
    const stdinFd = options.stdinFile ? openSync(options.stdinFile, 'r') : undefined;
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: [stdinFd ?? (options.stdinText !== undefined ? 'pipe' : 'ignore'), 'pipe', 'pipe'],
    });
    if (stdinFd !== undefined) closeSync(stdinFd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          stderr += `\n(bench: killed after ${options.timeoutMs} ms)`;
        }, options.timeoutMs)
      : undefined;
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, ms: performance.now() - started });
    });
    if (options.stdinText !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdinText);
    }
  });
}

/** Runs a command and fails loudly (with its output) unless it exits 0. */
export async function runChecked(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunOutcome> {
  const outcome = await runTimed(command, args, options);
  if (outcome.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${String(outcome.code)}:\n${(outcome.stderr || outcome.stdout).slice(-2000)}`,
    );
  }
  return outcome;
}

/**
 * Runs one of bench/workers/*.ts in its own Node process (so every leg starts cold and its memory is
 * its own) and returns the JSON object it prints as its last line.
 */
export async function runWorker<T>(
  worker: string,
  args: string[],
  options: RunOptions & { nodeFlags?: string[] } = {},
): Promise<T> {
  const outcome = await runChecked(
    process.execPath,
    // tsx as a loader in the worker's own process (not tsx's CLI, which starts the script in a second
    // process that the flags never reach: --expose-gc would then give the worker no gc()).
    [...(options.nodeFlags ?? []), '--import', 'tsx', resolve(ROOT, 'bench/workers', worker), ...args],
    options,
  );
  const last = outcome.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(
      `${worker} printed no result line:\n${outcome.stdout.slice(-1000)}\n${outcome.stderr.slice(-1000)}`,
    );
  }
}
