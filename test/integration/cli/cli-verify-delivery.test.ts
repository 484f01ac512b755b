import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsmasq, type DnsmasqServer } from '../../harness/dnsmasq';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { runCli, tempProfile } from './support/run-cli';

// `mailroom verify --from` and `--dns-server` as a subprocess: a real smtp-server on 127.0.0.1 is
// checked, and the From domain's SPF/DMARC come from a local dnsmasq given with --dns-server.

interface DeliveryJson {
  from: string;
  smtpHost: string;
  checks: { kind: string; status: string; words: string; hint: string; record: string | null }[];
  note: string | null;
}

let dns: DnsmasqServer;
let smtp: TestSmtpServer;
const profile = tempProfile('verify-delivery');

beforeAll(async () => {
  [dns, smtp] = await Promise.all([
    startDnsmasq({
      localZones: ['test'],
      txt: [
        { name: 'local.test', text: 'v=spf1 ip4:127.0.0.1 -all' },
        { name: '_dmarc.local.test', text: 'v=DMARC1; p=reject' },
        { name: 'corp.test', text: 'v=spf1 ip4:198.51.100.7 -all' },
        { name: '_dmarc.corp.test', text: 'v=DMARC1; p=reject' },
      ],
    }),
    startSmtpServer({ auth: 'none' }),
  ]);
});
afterAll(async () => {
  await Promise.all([dns?.stop(), smtp?.stop()]);
});

const verify = (extra: string[]) =>
  runCli([
    'verify',
    '--profile',
    profile,
    '--host',
    smtp.host,
    '--port',
    String(smtp.port),
    '--security',
    'none',
    '--dns-server',
    `127.0.0.1:${dns.port}`,
    ...extra,
  ]);

describe.concurrent('mailroom verify --from', () => {
  it('carries a delivery section: SPF and DMARC pass for a domain that authorises the server', async () => {
    const run = await verify(['--from', 'ada@local.test', '--json']);
    const doc = run.json<{ delivery: DeliveryJson }>();
    expect(doc.delivery).toMatchObject({ from: 'ada@local.test', smtpHost: '127.0.0.1' });
    expect(doc.delivery.checks).toEqual([
      {
        kind: 'spf',
        status: 'pass',
        words: "local.test's SPF record authorises 127.0.0.1 to send for it.",
        hint: '',
        record: 'v=spf1 ip4:127.0.0.1 -all',
      },
      {
        kind: 'dmarc',
        status: 'pass',
        words:
          "local.test's DMARC policy is reject, and mail from ada@local.test sent through 127.0.0.1 meets it: SPF authorises the server for local.test.",
        hint: '',
        record: 'v=DMARC1; p=reject',
      },
    ]);
    expect(doc.delivery.note).toMatch(/DKIM signing happens at 127\.0\.0\.1 and cannot be seen from outside/);
  });

  it('says a reject policy will bounce the mail, with the fix, and never changes the exit code', async () => {
    const [withFrom, without] = await Promise.all([
      verify(['--from', 'ada@corp.test', '--json']),
      verify(['--json']),
    ]);
    expect(withFrom.code).toBe(without.code);
    expect(without.json()).not.toHaveProperty('delivery');
    const delivery = withFrom.json<{ delivery: DeliveryJson }>().delivery;
    expect(delivery.checks.map((c) => [c.kind, c.status])).toEqual([
      ['spf', 'fail'],
      ['dmarc', 'fail'],
    ]);
    expect(delivery.checks[1]).toMatchObject({
      words:
        "corp.test's DMARC policy is reject and its SPF does not include 127.0.0.1: receivers will reject mail from ada@corp.test sent through 127.0.0.1 unless 127.0.0.1 signs it for corp.test (DKIM).",
      hint: "Authorise 127.0.0.1 in corp.test's SPF record, or set up DKIM signing for corp.test where 127.0.0.1 is run.",
    });
    expect(delivery.checks[0]?.hint).toBe(
      "Add ip4:127.0.0.1 (the address of 127.0.0.1) to corp.test's SPF record, or the include your provider documents for its outgoing servers.",
    );
  });

  it('prints the verdicts in words after the check', async () => {
    const run = await verify(['--from', 'ada@corp.test']);
    expect(run.stdout).toContain('Delivery check for ada@corp.test through 127.0.0.1:');
    expect(run.stdout).toContain(
      "  ✗ DMARC (what receivers do with mail that fails)\n    corp.test's DMARC policy is reject",
    );
    expect(run.stdout).toContain("    Fix: Authorise 127.0.0.1 in corp.test's SPF record");
  });

  it('refuses a --from that is not an address, and a --dns-server that is not an IP address', async () => {
    const badFrom = await verify(['--from', 'ada']);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toMatch(/--from/);
    const badDns = await runCli(['verify', '--host', '127.0.0.1', '--dns-server', 'dns.example.com']);
    expect(badDns.code).toBe(2);
    expect(badDns.stderr).toContain('--dns-server must be an IP address with an optional port (HOST:PORT)');
  });
});

describe('mailroom discover --dns-server', () => {
  it('asks only the DNS server given', async () => {
    const run = await runCli([
      'discover',
      'someone@flag-routed.test',
      '--dns-server',
      `127.0.0.1:${dns.port}`,
      '--json',
      '--profile',
      tempProfile('discover-dns'),
    ]);
    expect(run.code).toBe(1);
    expect(readFileSync(dns.logFile, 'utf8')).toMatch(/query\[SRV\] _submissions\._tcp\.flag-routed\.test/);
  });
});
