import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');

/** A driver script run as its own process (to be killed with SIGKILL), and what it acknowledged. */
export interface DriverProcess {
  child: ChildProcess;
  /** What followed "queued " on each line the driver printed, in order. */
  acknowledged: string[];
  done: Promise<number | null>;
  /** Resolves once `count` lines "queued …" were printed (or the driver exited). */
  queued(count: number): Promise<void>;
}

/** Starts `driver` (a .ts file, through tsx) with `args`; its stderr is shown only if it fails. */
export function runDriver(driver: string, args: string[]): DriverProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', driver, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acknowledged: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let buffer = '';
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('queued ')) acknowledged.push(line.slice('queued '.length));
      for (const waiter of waiters.filter((w) => acknowledged.length >= w.count)) waiter.resolve();
    }
  });
  const done = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code, signal) => {
      for (const waiter of waiters) waiter.resolve();
      if (code !== 0 && signal !== 'SIGKILL') console.error(errors);
      resolveExit(code);
    }),
  );
  return {
    child,
    acknowledged,
    done,
    queued: (count) =>
      new Promise((resolveWait) => {
        if (acknowledged.length >= count) resolveWait();
        else waiters.push({ count, resolve: resolveWait });
      }),
  };
}
