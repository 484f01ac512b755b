import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface HostProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const root = resolve(__dirname, '../../..');

/**
 * Starts the browser host the way a developer does (`npm run browser-host -- --profile DIR`), as its own
 * process, so a test can restart it or kill it like a user closing the app.
 */
export async function startHostProcess(
  profileDir: string,
  env: NodeJS.ProcessEnv = {},
  extraArgs: string[] = [],
): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      resolve(root, 'node_modules/tsx/dist/cli.mjs'),
      resolve(root, 'electron/browser-host/start.ts'),
      '--profile',
      profileDir,
      ...extraArgs,
    ],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}
