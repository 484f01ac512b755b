import { Resolver } from 'node:dns/promises';
import { createHttpsFetcher, type ConnectRoute } from './https-fetcher';
import { createSmtpProbe } from './smtp-probe';
import type { DiscoverOptions } from './discover-settings';

/**
 * `--dns-server HOST:PORT` (browser host) and MAILROOM_DISCOVERY_DNS_SERVER (CLI): discovery asks this DNS server (e.g. a local dnsmasq in end-to-end tests)
 * for MX/SRV records AND for the addresses it connects to, so a test run never reaches the internet.
 * `localhost` stays local. Without the flag the system resolver is used, as in the app.
 */
export function discoveryThroughDnsServer(server: string): NonNullable<DiscoverOptions['dependencies']> {
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  resolver.setServers([server]);
  const route: ConnectRoute = async (host, port) => {
    if (host === 'localhost' || /^127\./.test(host)) return { host: '127.0.0.1', port };
    const [address] = await resolver.resolve4(host);
    if (!address) throw new Error(`${host} has no address`);
    return { host: address, port };
  };
  return {
    resolver,
    fetchHttps: createHttpsFetcher({ route }),
    probeSmtp: createSmtpProbe({ route }),
  };
}
