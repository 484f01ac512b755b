import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { DiscoveryDependencies } from '../../../electron/core/discovery';
import { createHttpsFetcher, createSmtpProbe, type ConnectRoute } from '../../../electron/core/discovery';
import { startDnsmasq, type DnsRecords, type DnsmasqServer } from '../../harness/dnsmasq';
import {
  createTestCa,
  startHttpsTestServer,
  type HttpsTestServer,
  type TestCa,
  type TestRoutes,
} from '../../harness/https-test-server';

/**
 * Real local peers for discovery: dnsmasq answering for *.test, one HTTPS server for every
 * autoconfig/ISPDB name, smtp-server listeners for guessing, and a black hole that accepts TCP and
 * never speaks. Every name is resolved through dnsmasq and must come back as 127.0.0.1, so a test
 * can never send a packet off the machine even if a name is mistyped.
 */

export const ISPDB_HOST = 'ispdb.test';

export type Peers = {
  dns: DnsmasqServer;
  https: HttpsTestServer;
  dependencies(): DiscoveryDependencies;
  /** SMTP connections made by the guessing probe, as "host:port". */
  probed: string[];
  stop(): Promise<void>;
};

export type PeerConfig = {
  records: DnsRecords;
  httpsNames: string[];
  routes: TestRoutes;
  /** "host:port" -> what listens there for the probe. Anything else is refused. */
  smtp: Record<string, 'implicit-tls' | 'starttls' | 'implicit-tls-untrusted' | 'black-hole'>;
};

async function listen(server: Server | SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const net = server instanceof SMTPServer ? server.server : server;
  return (net.address() as AddressInfo).port;
}

export async function startPeers(config: PeerConfig): Promise<Peers> {
  const ca: TestCa = createTestCa();
  const dns = await startDnsmasq(config.records);
  let https: HttpsTestServer;
  try {
    https = await startHttpsTestServer(ca.issue(config.httpsNames), config.routes);
  } catch (err) {
    await dns.stop();
    ca.dispose();
    throw err;
  }
  const smtpNames = [...new Set(Object.keys(config.smtp).map((k) => k.split(':')[0] ?? ''))];
  const smtpTls = ca.issue(smtpNames.length ? smtpNames : ['unused.test']);
  // A certificate from a CA nobody trusts: what a misconfigured or intercepted server looks like.
  const strangerCa = createTestCa();
  const strangerTls = strangerCa.issue(smtpNames.length ? smtpNames : ['unused.test']);
  strangerCa.dispose();

  const holes = new Set<Socket>();
  const closers: (() => Promise<void>)[] = [];
  const smtpPorts = new Map<string, number>();
  for (const [target, kind] of Object.entries(config.smtp)) {
    if (kind === 'black-hole') {
      const hole = createServer((s) => {
        holes.add(s);
        s.on('error', () => undefined);
      });
      smtpPorts.set(target, await listen(hole));
      closers.push(() => new Promise((r) => hole.close(() => r())));
      continue;
    }
    const tls = kind === 'implicit-tls-untrusted' ? strangerTls : smtpTls;
    const server = new SMTPServer({
      secure: kind !== 'starttls',
      key: tls.key,
      cert: tls.cert,
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (_auth, _session, cb) => cb(new Error('Not used by discovery tests')),
    });
    server.on('error', () => undefined);
    smtpPorts.set(target, await listen(server));
    closers.push(() => new Promise((r) => server.close(() => r())));
  }

  const resolver = dns.resolver();
  const loopbackOnly = async (host: string): Promise<string> => {
    const [address] = await resolver.resolve4(host);
    if (address !== '127.0.0.1')
      throw new Error(`Test DNS gave ${host} = ${String(address)}; tests only talk to 127.0.0.1`);
    return address;
  };
  const httpsRoute: ConnectRoute = async (host, port) => {
    if (port !== 443)
      throw Object.assign(new Error(`connect ECONNREFUSED ${host}:${port}`), { code: 'ECONNREFUSED' });
    return { host: await loopbackOnly(host), port: https.port };
  };
  const probed: string[] = [];
  // A closed loopback port for names that resolve but have nothing listening on that port.
  const closedServer = createServer();
  const refused = await listen(closedServer);
  await new Promise<void>((r) => closedServer.close(() => r()));
  const smtpRoute: ConnectRoute = async (host, port) => {
    const address = await loopbackOnly(host);
    probed.push(`${host}:${port}`);
    return { host: address, port: smtpPorts.get(`${host}:${port}`) ?? refused };
  };

  return {
    dns,
    https,
    probed,
    dependencies: () => ({
      resolver: dns.resolver(),
      fetchHttps: createHttpsFetcher({ ca: ca.caCert, route: httpsRoute }),
      probeSmtp: createSmtpProbe({ ca: ca.caCert, route: smtpRoute }),
      ispdbBaseUrl: `https://${ISPDB_HOST}/v1.1/`,
    }),
    async stop() {
      for (const s of holes) s.destroy();
      await Promise.all(closers.map((c) => c()));
      await https.stop();
      await dns.stop();
      ca.dispose();
    },
  };
}
