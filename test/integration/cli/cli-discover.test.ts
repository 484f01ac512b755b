import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsmasq, type DnsmasqServer } from '../../harness/dnsmasq';
import { runCli, tempProfile } from './support/run-cli';

// `mailroom discover` against real DNS: a local dnsmasq answers for the test zone only, and
// MAILROOM_DISCOVERY_DNS_SERVER routes every lookup and connection of discovery through it.

let dns: DnsmasqServer;

beforeAll(async () => {
  dns = await startDnsmasq({
    localZones: ['test'],
    a: [{ name: 'mail.srv-corp.test', address: '127.0.0.1' }],
    srv: [{ name: '_submissions._tcp.srv-corp.test', target: 'mail.srv-corp.test', port: 465 }],
  });
});
afterAll(() => dns?.stop());

const env = () => ({ MAILROOM_DISCOVERY_DNS_SERVER: `127.0.0.1:${dns.port}` });

describe('mailroom discover', () => {
  it('answers a built-in provider at once, with where the settings came from', async () => {
    const run = await runCli(
      ['discover', 'someone@gmail.com', '--json', '--profile', tempProfile('discover')],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(0);
    const result = run.json<{
      found: boolean;
      source: string;
      settings: { host: string; port: number; security: string };
    }>();
    expect(result).toMatchObject({ found: true, settings: { host: 'smtp.gmail.com' } });
    expect(result.source).toMatch(/Built in: Gmail/);
  });

  it('answers a provider from the built-in ISPDB snapshot offline (cox.net), asking no DNS server', async () => {
    const run = await runCli(
      ['discover', 'someone@cox.net', '--json', '--profile', tempProfile('discover')],
      {
        // A DNS server that does not exist: any network step would fail or time out.
        env: { MAILROOM_DISCOVERY_DNS_SERVER: '127.0.0.1:9' },
      },
    );
    expect(run.code).toBe(0);
    const result = run.json<{
      found: boolean;
      source: string;
      settings: { host: string; username: string };
    }>();
    expect(result).toMatchObject({
      found: true,
      settings: { host: 'smtp.mail.yahoo.com', username: 'someone@cox.net' },
    });
    expect(result.source).toMatch(/Thunderbird’s provider database/);
  });

  it('finds implicit TLS from an RFC 6186 SRV record', async () => {
    const run = await runCli(
      ['discover', 'ada@srv-corp.test', '--json', '--profile', tempProfile('discover')],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      found: true,
      settings: { host: 'mail.srv-corp.test', port: 465, security: 'tls' },
      source: 'DNS SRV record',
    });
  });

  it('exits 1 with DISCOVERY_NOT_FOUND when nothing answers, pointing to manual entry', async () => {
    const run = await runCli(
      ['discover', 'ada@nothing-here.test', '--json', '--profile', tempProfile('discover')],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(1);
    const result = run.json<{ ok?: boolean; error?: { code: string; hint?: string } }>();
    expect(result.error?.code).toMatch(/DISCOVERY_NOT_FOUND|DISCOVERY_TIMEOUT/);
    expect(result.error?.hint).toBeTruthy();
  });
});
