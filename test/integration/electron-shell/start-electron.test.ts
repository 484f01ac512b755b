import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start`, `npm run dev` and `npm run dist` go through scripts/with-electron.mjs, which runs
// electron's own installer when the binary is missing and hands the binary to electron-vite. Both
// paths are exercised for real: a download that fails (a mirror that answers 404), and a start with
// ELECTRON_OVERRIDE_DIST_PATH pointing at an executable that records how it was started.

const root = resolve(__dirname, '../../..');
const launcher = join(root, 'scripts/with-electron.mjs');

/**
 * A fresh clone as npm ci leaves it: the project's scripts, and a node_modules whose electron package
 * has never downloaded its binary (the other packages are this checkout's, linked).
 */
function freshClone(): string {
  const clone = mkdtempSync(join(tmpdir(), 'mailroom-fresh-clone-'));
  mkdirSync(join(clone, 'scripts'));
  cpSync(launcher, join(clone, 'scripts/with-electron.mjs'));
  mkdirSync(join(clone, 'node_modules'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== 'electron') symlinkSync(join(root, 'node_modules', name), join(clone, 'node_modules', name));
  }
  const electron = join(clone, 'node_modules/electron');
  mkdirSync(electron);
  for (const file of ['package.json', 'index.js', 'install.js', 'checksums.json']) {
    cpSync(join(root, 'node_modules/electron', file), join(electron, file));
  }
  return clone;
}

/** Runs the launcher without blocking this process (which serves the mirror). */
function launch(
  script: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [script, ...args], {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', failed);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stderr });
    });
  });
}

let mirror: Server;
let mirrorUrl = '';
const mirrorRequests: string[] = [];

beforeAll(async () => {
  mirror = createServer((request, response) => {
    mirrorRequests.push(request.url ?? '');
    response.writeHead(404).end('not here');
  });
  await new Promise<void>((done) => mirror.listen(0, '127.0.0.1', done));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((done) => mirror.close(() => done())));

describe('starting the desktop app', () => {
  it('npm start, dev and dist make sure Electron is installed before they use it', () => {
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['start']).toBe('node scripts/with-electron.mjs electron-vite preview');
    expect(scripts['dev']).toBe('node scripts/with-electron.mjs electron-vite dev');
    expect(scripts['dist']).toMatch(/node scripts\/with-electron\.mjs electron-builder$/);
  });

  it('when the download fails, says what failed and how to fix it, and exits non-zero', async () => {
    const clone = freshClone();
    const run = await launch(join(clone, 'scripts/with-electron.mjs'), ['electron-vite', 'preview'], {
      cwd: clone,
      env: {
        ...process.env,
        ELECTRON_MIRROR: mirrorUrl,
        electron_config_cache: mkdtempSync(join(tmpdir(), 'mailroom-electron-cache-')),
        ELECTRON_OVERRIDE_DIST_PATH: '',
        ELECTRON_GET_NO_PROGRESS: '1',
      },
    });
    expect(run.status).toBe(1);
    // Electron's own installer asked the mirror the user configured.
    expect(mirrorRequests.some((url) => url.includes('electron-v'))).toBe(true);
    const output = run.stderr;
    expect(output).toContain(
      'Mailroom could not start: the Electron runtime is not installed, and downloading it failed.',
    );
    expect(output).toMatch(/Underlying error: .*404/);
    expect(output).toContain('ELECTRON_MIRROR=');
    expect(output).toContain('ELECTRON_OVERRIDE_DIST_PATH=');
    expect(output).toContain('ELECTRON_GET_USE_PROXY=1');
    expect(output).toContain('`npm test`');
    expect(output).toContain('`npm run browser-host`');
    expect(output).not.toContain('Electron uninstall');
    // One paragraph of advice, not a stack trace.
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('with ELECTRON_OVERRIDE_DIST_PATH, starts that Electron on the built app', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'mailroom-electron-dist-'));
    const record = join(dist, 'started-with.txt');
    const executable = join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron');
    writeFileSync(executable, `#!/bin/sh\nprintf '%s|%s' "$PWD" "$*" > '${record}'\n`);
    chmodSync(executable, 0o755);
    const run = await launch(launcher, ['electron-vite', 'preview', '--skipBuild'], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(record)).toBe(true);
    // electron-vite starts Electron on the project, whose package.json main is out/main/index.js.
    expect(readFileSync(record, 'utf8')).toBe(`${root}|.`);
  });

  it('with an ELECTRON_OVERRIDE_DIST_PATH that holds no Electron, says so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mailroom-electron-empty-'));
    const run = await launch(launcher, ['electron-vite', 'preview', '--skipBuild'], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `ELECTRON_OVERRIDE_DIST_PATH is ${empty}, which holds no Electron executable.`,
    );
  });
});
