import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSettings } from '../../../electron/core/discovery/discover-settings';
import type { DiscoveryDependencies } from '../../../electron/core/discovery/discovery-steps';
import { fillAutoconfigTemplate } from '../../../electron/core/discovery/autoconfig-xml';
import { findIspdbProvider, ispdbDomains } from '../../../electron/core/discovery/ispdb/ispdb-lookup';
import { findProviderByDomain } from '../../../shared/providers';
import { buildIspdbSnapshot } from '../../../electron/core/discovery/ispdb/ispdb-snapshot-builder';

// The built-in copy of Thunderbird's ISP database (data/ispdb/, MPL-2.0): generated from the XML by
// scripts/generate-ispdb-snapshot.ts, looked up offline for every one of its domains. Nothing here
// may touch the network: every network dependency of discovery counts its calls and refuses.

const root = resolve(__dirname, '../../..');

function offline(): { dependencies: DiscoveryDependencies; calls: () => number } {
  let calls = 0;
  const refuse = async (): Promise<never> => {
    calls += 1;
    throw Object.assign(new Error('offline'), { code: 'ECONNREFUSED' });
  };
  return {
    dependencies: {
      resolver: { resolveMx: refuse, resolveSrv: refuse, resolve4: refuse, resolve6: refuse } as never,
      fetchHttps: refuse,
      probeSmtp: refuse,
      ispdbBaseUrl: 'https://127.0.0.1:9/',
    },
    calls: () => calls,
  };
}

/** A documented override of ISPDB by the curated list (shared/providers), with the reason. */
const OVERRIDES: Record<string, string> = {};

describe('the built-in ISPDB snapshot', () => {
  it('is exactly what the generator makes from data/ispdb/xml (one command makes the next one)', () => {
    const xmlDir = join(root, 'data/ispdb/xml');
    const files = readdirSync(xmlDir)
      .filter((n) => n.endsWith('.xml'))
      .sort()
      .map((name) => ({ name, xml: readFileSync(join(xmlDir, name), 'utf8') }));
    const built = buildIspdbSnapshot(files, readFileSync(join(root, 'data/ispdb/README.md'), 'utf8'));
    const committed = JSON.parse(
      readFileSync(join(root, 'electron/core/discovery/ispdb/ispdb-snapshot.json'), 'utf8'),
    ) as unknown;
    expect(built).toEqual(committed);
    expect(built.providers).toHaveLength(files.length);
    expect(built.source).toMatch(/commit c6ad796/);
    // The data keeps its license beside it.
    expect(readFileSync(join(root, 'data/ispdb/LICENSE'), 'utf8')).toMatch(/Mozilla Public License/);
  });

  it('answers every domain it lists offline with one of its own encrypted servers, in the right username form', async () => {
    const domains = ispdbDomains();
    expect(domains.length).toBeGreaterThan(900);
    const network = offline();
    const problems: string[] = [];
    for (const domain of domains) {
      const email = `ada.lovelace@${domain}`;
      const provider = findIspdbProvider(domain)!;
      const listed = fillAutoconfigTemplate({ ...provider, skipped: [] }, email).outgoingServers;
      const encrypted = listed.filter((s) => s.security !== 'none');
      const result = await discoverSettings({ email }, { dependencies: network.dependencies });
      if (!result.ok || !result.value.settings) {
        problems.push(`${domain}: nothing found`);
        continue;
      }
      const got = result.value.settings;
      const expected = encrypted.length > 0 ? encrypted : listed;
      const same = expected.some(
        (s) =>
          s.host === got.host &&
          s.port === got.port &&
          s.security === got.security &&
          s.username === got.username,
      );
      if (!same && !OVERRIDES[domain]) {
        problems.push(`${domain}: ${got.host}:${got.port} ${got.security} as ${got.username}`);
      }
      // A provider that lists only a plain-text server is never offered silently.
      if (encrypted.length === 0) {
        const notes = result.value.notes.join(' ');
        if (!/RFC 8314/.test(notes)) problems.push(`${domain}: plain text offered without the warning`);
      }
    }
    expect(problems).toEqual([]);
    expect(network.calls()).toBe(0);
  });

  it('fills %EMAILDOMAIN% into host names and offers the other servers as alternatives', async () => {
    const domain = ispdbDomains().find((d) =>
      findIspdbProvider(d)!.outgoingServers.some((s) => s.host.includes('%EMAILDOMAIN%')),
    )!;
    expect(domain).toBeDefined();
    const result = await discoverSettings({ email: `x@${domain}` }, { dependencies: offline().dependencies });
    expect(result.ok && result.value.settings?.host).toContain(domain);
    expect(result.ok && result.value.settings?.host).not.toContain('%');

    // A provider with several encrypted servers (and none in the curated list): the first is
    // preferred, the rest are offered as alternatives.
    const several = ispdbDomains().find(
      (d) =>
        !findProviderByDomain(d) &&
        findIspdbProvider(d)!.outgoingServers.filter((s) => s.security !== 'none').length > 1,
    )!;
    const result2 = await discoverSettings(
      { email: `x@${several}` },
      { dependencies: offline().dependencies },
    );
    expect(result2.ok && result2.value.alternatives.length, several).toBeGreaterThan(0);
  });

  it('shows the steps the provider says come first (ISPDB <enable>), in the user’s language where it has it', async () => {
    // inbox.lv asks users to allow mail programs first; its curated counterpart does not exist.
    const domain = ispdbDomains().find((d) => findIspdbProvider(d)!.enable && !d.startsWith('gmx'))!;
    const result = await discoverSettings({ email: `x@${domain}` }, { dependencies: offline().dependencies });
    expect(result.ok && result.value.notes.join(' ')).toMatch(/^Before this works: /);
  });

  it('answers the providers the curated list lacked (cox.net, bigpond.com, yahoo.co.jp, sky.com, arcor.de, uol.com.br, xtra.co.nz, rediffmail.com)', async () => {
    for (const domain of [
      'cox.net',
      'bigpond.com',
      'yahoo.co.jp',
      'sky.com',
      'arcor.de',
      'uol.com.br',
      'xtra.co.nz',
      'rediffmail.com',
    ]) {
      const network = offline();
      const result = await discoverSettings({ email: `x@${domain}` }, { dependencies: network.dependencies });
      expect(result.ok && result.value.settings, domain).toBeTruthy();
      expect(result.ok && result.value.source, domain).toMatch(/Thunderbird’s provider database/);
      expect(network.calls(), domain).toBe(0);
    }
  });
});
