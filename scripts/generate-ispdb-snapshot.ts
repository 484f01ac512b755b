// Generates the built-in ISPDB snapshot (electron/core/discovery/ispdb/ispdb-snapshot.json) from the
// Thunderbird ISP database files in data/ispdb/xml/, with the same parser discovery uses for an ISP's
// own autoconfig file. The app reads only the generated JSON; it never parses XML at start-up.
// A new snapshot: replace data/ispdb/xml/ (and its README's commit), then `npm run ispdb:generate`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIspdbSnapshot } from '../electron/core/discovery/ispdb/ispdb-snapshot-builder';

const root = resolve(__dirname, '..');
const xmlDir = join(root, 'data/ispdb/xml');
const out = process.argv[2] ?? join(root, 'electron/core/discovery/ispdb/ispdb-snapshot.json');

const files = readdirSync(xmlDir)
  .filter((name) => name.endsWith('.xml'))
  .sort()
  .map((name) => ({ name, xml: readFileSync(join(xmlDir, name), 'utf8') }));
const snapshot = buildIspdbSnapshot(files, readFileSync(join(root, 'data/ispdb/README.md'), 'utf8'));
writeFileSync(out, `${JSON.stringify(snapshot, null, 1)}\n`);
process.stdout.write(
  `${snapshot.providers.length} providers, ${snapshot.providers.reduce((n, p) => n + p.domains.length, 0)} domains -> ${out}\n`,
);
