import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkDelivery, deliveryThroughDnsServer } from '../../../electron/core/delivery';
import type { DeliveryCheck, DeliveryVerdict } from '../../../shared/domain/delivery-check';
import { startDnsmasq, type DnsmasqServer } from '../../harness/dnsmasq';
import { DELIVERY_ZONES, FASTMAIL_SERVER, OWN_SERVER, OWN_SERVER_IP } from './delivery-zones';

// Every verdict against a real DNS server (dnsmasq) serving the zones in delivery-zones.ts.

let dns: DnsmasqServer;
beforeAll(async () => {
  dns = await startDnsmasq(DELIVERY_ZONES);
});
afterAll(async () => {
  await dns?.stop();
});

async function check(from: string, smtpHost = OWN_SERVER): Promise<DeliveryCheck> {
  const result = await checkDelivery(
    { from, smtpHost },
    { resolver: deliveryThroughDnsServer(`127.0.0.1:${dns.port}`) },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
const verdict = (c: DeliveryCheck, kind: 'spf' | 'dmarc'): DeliveryVerdict => {
  const v = c.checks.find((x) => x.kind === kind);
  if (!v) throw new Error(`no ${kind} verdict`);
  return v;
};

describe('SPF', () => {
  it('passes when the record lists the server, and DMARC reject is then met through SPF', async () => {
    const c = await check('ada@pass.test');
    expect(c.serverAddresses).toEqual([OWN_SERVER_IP]);
    expect(verdict(c, 'spf')).toEqual({
      kind: 'spf',
      status: 'pass',
      words: `pass.test's SPF record authorises smtp.own.test (${OWN_SERVER_IP}) to send for it.`,
      hint: '',
      record: `v=spf1 ip4:${OWN_SERVER_IP} -all`,
    });
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'pass',
      words:
        "pass.test's DMARC policy is reject, and mail from ada@pass.test sent through smtp.own.test meets it: SPF authorises the server for pass.test.",
      hint: '',
    });
  });

  it('fails on -all, and says what to add', async () => {
    const c = await check('ada@fail.test');
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'fail',
      words:
        "fail.test's SPF record does not list smtp.own.test and ends in -all: receivers will reject mail from ada@fail.test sent through smtp.own.test, or put it in spam.",
      hint: `Add ip4:${OWN_SERVER_IP} (the address of smtp.own.test) to fail.test's SPF record, or the include your provider documents for its outgoing servers.`,
    });
  });

  it('warns on ~all (softfail): spam, not rejection', async () => {
    const c = await check('ada@softfail.test');
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'warn',
      words:
        "softfail.test's SPF record does not list smtp.own.test and ends in ~all: receivers may put mail from ada@softfail.test sent through smtp.own.test in spam.",
      hint: expect.stringContaining(`Add ip4:${OWN_SERVER_IP}`),
    });
  });

  it('warns when the domain publishes no SPF record, with the record to add', async () => {
    const c = await check('ada@none.test');
    expect(verdict(c, 'spf')).toEqual({
      kind: 'spf',
      status: 'warn',
      words:
        'none.test publishes no SPF record: receivers cannot tell whether smtp.own.test may send for it, and many put such mail in spam.',
      hint: `Add a TXT record at none.test: “v=spf1 ip4:${OWN_SERVER_IP} ~all”.`,
    });
    expect(verdict(c, 'dmarc')).toEqual({
      kind: 'dmarc',
      status: 'pass',
      words:
        'none.test publishes no DMARC policy: receivers judge mail from ada@none.test by SPF and their own filters.',
      hint: '',
    });
  });

  it('follows an include chain to the server', async () => {
    const c = await check('ada@chain.test');
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'pass',
      words: `chain.test's SPF record authorises smtp.own.test (${OWN_SERVER_IP}) to send for it.`,
    });
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'pass',
      words: expect.stringMatching(/policy is none, and mail/),
    });
    // Both levels were really asked for.
    const log = readFileSync(dns.logFile, 'utf8');
    expect(log).toMatch(/query\[TXT\] a\.chain\.test/);
    expect(log).toMatch(/query\[TXT\] b\.chain\.test/);
  });

  it('is broken past 10 DNS lookups (RFC 7208 permerror), and DMARC then fails', async () => {
    const c = await check('ada@toomany.test');
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'fail',
      words:
        "toomany.test's SPF record is broken: checking it takes more than 10 DNS lookups, the limit RFC 7208 sets. Receivers treat that as a permanent error (permerror), so mail from ada@toomany.test gets no SPF pass and may be rejected or put in spam.",
      hint: 'Bring it to 10 lookups or fewer: remove include: entries for services you no longer use, or replace some with the ip4:/ip6: ranges they stand for.',
    });
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'fail',
      words:
        "toomany.test's DMARC policy is reject and its SPF record is broken: receivers will reject mail from ada@toomany.test sent through smtp.own.test unless smtp.own.test signs it for toomany.test (DKIM).",
    });
  });
});

describe('DMARC', () => {
  it('reject, unaligned: the issue’s Fastmail case, word for word', async () => {
    const c = await check('ada@corp.test', FASTMAIL_SERVER);
    expect(c.provider).toBe('Fastmail');
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'fail',
      words:
        "corp.test's DMARC policy is reject and its SPF does not include smtp.fastmail.com: receivers will reject mail from ada@corp.test sent through Fastmail unless Fastmail signs it for corp.test (DKIM).",
      hint: "Add include:spf.messagingengine.com to corp.test's SPF record, or set up DKIM for corp.test at Fastmail.",
      record: 'v=DMARC1; p=reject',
    });
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'fail',
      words:
        "corp.test's SPF record does not include spf.messagingengine.com (Fastmail) and ends in -all: receivers will reject mail from ada@corp.test sent through Fastmail, or put it in spam.",
      hint: "Add include:spf.messagingengine.com to corp.test's SPF record. Fastmail documents this include at https://www.fastmail.help/hc/en-us/articles/360060591153-Manual-DNS-configuration.",
    });
    expect(c.note).toBe(
      'DKIM signing happens at Fastmail and cannot be seen from outside: if Fastmail signs mail for corp.test (DKIM), DMARC passes even where SPF does not.',
    );
  });

  it('reject, unaligned, through an unknown server: names the server and DKIM as the way out', async () => {
    const c = await check('ada@fail.test');
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'fail',
      words:
        "fail.test's DMARC policy is reject and its SPF does not include smtp.own.test: receivers will reject mail from ada@fail.test sent through smtp.own.test unless smtp.own.test signs it for fail.test (DKIM).",
      hint: "Authorise smtp.own.test in fail.test's SPF record, or set up DKIM signing for fail.test where smtp.own.test is run.",
    });
  });

  it('quarantine, aligned through the provider include: passes', async () => {
    const c = await check('ada@good.test', FASTMAIL_SERVER);
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'pass',
      words:
        "good.test's SPF record includes spf.messagingengine.com, where Fastmail lists its outgoing servers.",
      hint: '',
    });
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'pass',
      words:
        "good.test's DMARC policy is quarantine, and mail from ada@good.test sent through Fastmail meets it: SPF authorises the server for good.test.",
    });
  });

  it('quarantine, unaligned: spam unless DKIM', async () => {
    const c = await check('ada@softfail.test');
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'fail',
      words:
        "softfail.test's DMARC policy is quarantine and its SPF does not include smtp.own.test: receivers will put mail from ada@softfail.test sent through smtp.own.test in spam unless smtp.own.test signs it for softfail.test (DKIM).",
    });
  });

  it('a subdomain without a record of its own gets the organisational domain’s sp= policy', async () => {
    const c = await check('ada@news.sub.test');
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'fail',
      words: expect.stringMatching(/^news\.sub\.test's DMARC policy is reject and its SPF does not include/),
      record: 'v=DMARC1; p=none; sp=reject',
    });
  });

  it('quarantine for part of the mail says how much', async () => {
    const c = await check('ada@partial.test');
    expect(verdict(c, 'dmarc').words).toMatch(
      / in spam unless smtp\.own\.test signs it for partial\.test \(DKIM\)\. The policy covers 25% of failing mail; the rest is treated as policy none\.$/,
    );
  });

  it('none, unaligned: delivered, but a warning', async () => {
    const c = await check('ada@monitor.test');
    expect(verdict(c, 'spf')).toMatchObject({
      status: 'warn',
      words: expect.stringContaining('neither allows nor forbids it (?all)'),
    });
    expect(verdict(c, 'dmarc')).toMatchObject({
      status: 'warn',
      words:
        "monitor.test's DMARC policy is none (monitor only) and its SPF does not include smtp.own.test: receivers still deliver mail from ada@monitor.test sent through smtp.own.test, but it fails DMARC unless smtp.own.test signs it for monitor.test (DKIM), and some put it in spam.",
      hint: "Authorise smtp.own.test in monitor.test's SPF record, or set up DKIM signing for monitor.test where smtp.own.test is run.",
    });
  });
});

describe('free mail for its own domain', () => {
  it('passes quietly, without asking DNS', async () => {
    const before = readFileSync(dns.logFile, 'utf8').length;
    const c = await check('ada@gmail.com', 'smtp.gmail.com');
    expect(c.checks.map((v) => [v.kind, v.status, v.hint])).toEqual([
      ['spf', 'pass', ''],
      ['dmarc', 'pass', ''],
    ]);
    expect(c.note).toBeUndefined();
    expect(readFileSync(dns.logFile, 'utf8').slice(before)).not.toMatch(/query\[/);
  });
});

describe('a server given as an address', () => {
  it('names a provider only on its own port: 127.0.0.1:1025 is Proton Bridge, 127.0.0.1 alone is not', async () => {
    const resolver = deliveryThroughDnsServer(`127.0.0.1:${dns.port}`);
    const bridge = await checkDelivery(
      { from: 'ada@none.test', smtpHost: '127.0.0.1', smtpPort: 1025 },
      { resolver },
    );
    const other = await checkDelivery(
      { from: 'ada@none.test', smtpHost: '127.0.0.1', smtpPort: 2525 },
      { resolver },
    );
    if (!bridge.ok || !other.ok) throw new Error('check failed');
    expect(bridge.value.provider).toBe('Proton Mail (Bridge)');
    expect(other.value.provider).toBeUndefined();
    expect(other.value.checks[0]?.words).toBe(
      'none.test publishes no SPF record: receivers cannot tell whether 127.0.0.1 may send for it, and many put such mail in spam.',
    );
  });
});

describe('reserved names', () => {
  it('localhost is 127.0.0.1 without asking DNS', async () => {
    const c = await check('ada@none.test', 'localhost');
    expect(c.serverAddresses).toEqual(['127.0.0.1']);
  });

  it('a reserved From domain is not looked up on the system’s DNS servers at all', async () => {
    const result = await checkDelivery({ from: 'ada@example.test', smtpHost: 'localhost' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.checks).toEqual([
      {
        kind: 'spf',
        status: 'unknown',
        words:
          'example.test is a reserved name (RFC 6761) that no public DNS server answers for, so it has no SPF record to read.',
        hint: 'Check the From address: receivers on the internet will not accept mail from this domain.',
      },
      {
        kind: 'dmarc',
        status: 'unknown',
        words:
          'example.test is a reserved name (RFC 6761) that no public DNS server answers for, so it has no DMARC policy to read.',
        hint: 'Check the From address: receivers on the internet will not accept mail from this domain.',
      },
    ]);
  });
});

describe('bad input', () => {
  it('is INVALID_REQUEST with the reason', async () => {
    const result = await checkDelivery({ from: 'not-an-address', smtpHost: OWN_SERVER });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_REQUEST');
  });
});
