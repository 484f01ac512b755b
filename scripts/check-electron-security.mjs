#!/usr/bin/env node
// Runs @doyensec/electronegativity over the app's own sources (Electron shell, preload, renderer page)
// and fails on any HIGH-severity finding. Medium/low findings are printed for review; docs/SECURITY.md
// explains how each checklist item is handled.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const scanDir = mkdtempSync(join(tmpdir(), 'mailroom-security-'));
try {
  cpSync(join(root, 'electron/main'), join(scanDir, 'electron/main'), { recursive: true });
  cpSync(join(root, 'electron/preload'), join(scanDir, 'electron/preload'), { recursive: true });
  cpSync(join(root, 'renderer/index.html'), join(scanDir, 'renderer/index.html'));
  writeFileSync(
    join(scanDir, 'package.json'),
    JSON.stringify({ name: 'mailroom', devDependencies: { electron: electronVersion } }),
  );
  const report = join(scanDir, 'report.csv');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
      '-i',
      scanDir,
      '-e',
      electronVersion,
      '-r',
      '-v',
      'false',
      '-o',
      report,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 },
  );
  // Columns: issue, severity, confidence, filename, location, sample, description, url
  const rows = readFileSync(report, 'utf8').trim().split('\n').slice(1);
  const findings = rows.map((row) => row.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
  for (const f of findings)
    console.log(
      `${(f[1] ?? '').padEnd(8)} ${(f[0] ?? '').padEnd(28)} ${f[3] ?? ''}:${f[4] ?? ''} (${f[2] ?? ''})`,
    );
  const high = findings.filter((f) => /HIGH/i.test(f[1] ?? ''));
  console.log(
    `electronegativity: ${findings.length} finding(s), ${high.length} high severity (Electron ${electronVersion})`,
  );
  if (high.length > 0) process.exit(1);
} finally {
  rmSync(scanDir, { recursive: true, force: true });
}
