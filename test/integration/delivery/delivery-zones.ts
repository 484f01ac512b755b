import type { DnsRecords } from '../../harness/dnsmasq';

/**
 * The zones the delivery-check tests ask about. Server addresses are documentation ranges
 * (RFC 5737): they only appear in DNS answers, nothing ever connects to them.
 */
export const OWN_SERVER = 'smtp.own.test';
export const OWN_SERVER_IP = '192.0.2.10';
export const FASTMAIL_SERVER = 'smtp.fastmail.com';

const tooManyIncludes = Array.from({ length: 11 }, (_, i) => `l${i + 1}.toomany.test`);

export const DELIVERY_ZONES: DnsRecords = {
  localZones: ['test', 'messagingengine.com', 'fastmail.com'],
  a: [
    { name: OWN_SERVER, address: OWN_SERVER_IP },
    { name: FASTMAIL_SERVER, address: '192.0.2.20' },
  ],
  txt: [
    // SPF pass, DMARC reject, aligned
    { name: 'pass.test', text: `v=spf1 ip4:${OWN_SERVER_IP} -all` },
    { name: '_dmarc.pass.test', text: 'v=DMARC1; p=reject' },
    // SPF fail (-all), DMARC reject, unaligned
    { name: 'fail.test', text: 'v=spf1 ip4:198.51.100.1 -all' },
    { name: '_dmarc.fail.test', text: 'v=DMARC1; p=reject; rua=mailto:dmarc@fail.test' },
    // SPF softfail (~all), DMARC quarantine, unaligned
    { name: 'softfail.test', text: 'v=spf1 ip4:198.51.100.1 ~all' },
    { name: '_dmarc.softfail.test', text: 'v=DMARC1; p=quarantine' },
    // SPF neutral, DMARC none (monitor), unaligned
    { name: 'monitor.test', text: 'v=spf1 ip4:198.51.100.1 ?all' },
    { name: '_dmarc.monitor.test', text: 'v=DMARC1; p=none' },
    // DMARC quarantine for a quarter of failing mail
    { name: 'partial.test', text: 'v=spf1 ip4:198.51.100.1 -all' },
    { name: '_dmarc.partial.test', text: 'v=DMARC1; p=quarantine; pct=25' },
    // An include chain two levels deep that ends at the server's address; DMARC none, aligned
    { name: 'chain.test', text: 'v=spf1 include:a.chain.test -all' },
    { name: 'a.chain.test', text: 'v=spf1 ip4:198.51.100.0/28 include:b.chain.test -all' },
    { name: 'b.chain.test', text: `v=spf1 ip4:${OWN_SERVER_IP} -all` },
    { name: '_dmarc.chain.test', text: 'v=DMARC1; p=none' },
    // Eleven includes: one past RFC 7208's limit of 10 lookups
    { name: 'toomany.test', text: `v=spf1 ${tooManyIncludes.map((n) => `include:${n}`).join(' ')} -all` },
    ...tooManyIncludes.map((name, i) => ({ name, text: `v=spf1 ip4:198.51.100.${i + 1} -all` })),
    { name: '_dmarc.toomany.test', text: 'v=DMARC1; p=reject' },
    // The issue's Fastmail case: reject, and SPF lists neither the server nor Fastmail's include
    { name: 'corp.test', text: 'v=spf1 ip4:198.51.100.7 -all' },
    { name: '_dmarc.corp.test', text: 'v=DMARC1; p=reject' },
    // Fastmail done right: the domain includes Fastmail's documented include
    { name: 'good.test', text: 'v=spf1 include:spf.messagingengine.com -all' },
    { name: '_dmarc.good.test', text: 'v=DMARC1; p=quarantine' },
    { name: 'spf.messagingengine.com', text: 'v=spf1 ip4:203.0.113.0/24 -all' },
    // A subdomain without its own record: the organisational domain's sp= applies to it
    { name: '_dmarc.sub.test', text: 'v=DMARC1; p=none; sp=reject' },
    // none.test publishes nothing at all
  ],
};
