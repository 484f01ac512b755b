#!/usr/bin/env node
// `npm start`, `npm run dev`, `npm run dist`: makes sure the Electron binary is there, then runs the
// given tool (electron-vite preview/dev, electron-builder) with it.
//
// Why: electron 42+ downloads its binary on first use (its `install-electron` bin, or the first
// `require('electron')`), not at `npm ci`, while electron-vite only looks for it in
// node_modules/electron/path.txt, which that download writes. Without this step every fresh clone
// stops with electron-vite's bare "Electron uninstall". We run electron's own installer, so its usual
// environment variables apply unchanged (ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, electron_config_cache,
// ELECTRON_GET_USE_PROXY with GLOBAL_AGENT_HTTPS_PROXY, ELECTRON_OVERRIDE_DIST_PATH), and hand the
// binary to electron-vite through ELECTRON_EXEC_PATH, which it honours.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));

/** Where electron's installer puts the executable inside its dist folder (electron/install.js). */
function executableInDist() {
  const platform =
    process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** The dist folder Electron runs from, and its executable (present or not). */
function electronLocation() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return { distDir: override, binary: join(override, executableInDist()) };
  const distDir = join(electronDir, 'dist');
  const pathFile = join(electronDir, 'path.txt');
  const inDist = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : executableInDist();
  return { distDir, binary: join(distDir, inDist) };
}

/** The installer's own words for what went wrong: the error line of its stack, not the frames. */
function underlyingError(stderr) {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  const last = lines.at(-1) ?? 'the installer gave no reason';
  const cut = last.length > 300 ? `${last.slice(0, 300)}…` : last;
  // Node's fetch says only "fetch failed" when no connection could be made at all.
  return /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET/.test(cut)
    ? `${cut} (the download server could not be reached)`
    : cut;
}

function explainAndExit(what, detail) {
  const lines = [
    '',
    `Mailroom could not start: ${what}`,
    ...(detail ? [`  Underlying error: ${detail}`] : []),
    `Electron ${version} is downloaded once (about 100 MB), the first time you run npm start, npm run dev`,
    'or npm run dist. To fix it:',
    '  - check your network connection, and run the command again;',
    '  - behind a proxy: ELECTRON_GET_USE_PROXY=1 GLOBAL_AGENT_HTTPS_PROXY=http://proxy:port npm start',
    '  - from a mirror: ELECTRON_MIRROR=https://your-mirror/electron/ npm start',
    `  - offline, with an Electron ${version} you already have: ELECTRON_OVERRIDE_DIST_PATH=/folder/with/electron npm start`,
    'Everything else works without Electron: `npm test` runs the tests, and `npm run build` followed by',
    '`npm run browser-host` opens Mailroom in your web browser.',
    '',
  ];
  process.stderr.write(lines.join('\n'));
  process.exit(1);
}

function ensureElectron() {
  const found = electronLocation();
  const installed = existsSync(join(electronDir, 'path.txt')) || process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (installed && existsSync(found.binary)) return found;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    explainAndExit(
      `ELECTRON_OVERRIDE_DIST_PATH is ${process.env.ELECTRON_OVERRIDE_DIST_PATH}, which holds no Electron executable.`,
      `${found.binary} does not exist`,
    );
  }
  process.stderr.write(`Downloading Electron ${version} (first start only)...\n`);
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (install.error) explainAndExit('the Electron installer could not be run.', install.error.message);
  if (install.status !== 0) {
    explainAndExit(
      'the Electron runtime is not installed, and downloading it failed.',
      underlyingError(install.stderr),
    );
  }
  const location = electronLocation();
  if (!existsSync(location.binary)) {
    explainAndExit(
      'the Electron download finished but left no executable.',
      `${location.binary} does not exist`,
    );
  }
  return location;
}

const [tool, ...args] = process.argv.slice(2);
if (!tool) {
  process.stderr.write('usage: node scripts/with-electron.mjs electron-vite|electron-builder [args...]\n');
  process.exit(2);
}
const { binary, distDir } = ensureElectron();
const toolArgs =
  // electron-builder would download Electron a second time; give it the one we have.
  tool === 'electron-builder' ? [...args, `--config.electronDist=${distDir}`] : args;
// The tool's own bin script, found through the package's manifest (the same one `npx tool` runs).
const toolDir = join(dirname(electronDir), tool);
const bin = JSON.parse(readFileSync(join(toolDir, 'package.json'), 'utf8')).bin;
const entry = join(toolDir, typeof bin === 'string' ? bin : bin[tool]);
const child = spawn(process.execPath, [entry, ...toolArgs], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
