import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';

/**
 * A real DNS server for tests: Debian's dnsmasq on a free loopback port, serving only the records
 * given here. With --no-resolv/--no-hosts and no upstream it can never forward a query off the
 * machine, and `localZones` answer NXDOMAIN for every other name inside them (quick "no such
 * server" instead of a timeout).
 */

export type DnsRecords = {
  a?: { name: string; address: string }[];
  mx?: { name: string; exchange: string; priority: number }[];
  srv?: { name: string; target: string; port: number; priority?: number; weight?: number }[];
  /** TXT records (SPF, DMARC); one line per record, so a name may have several. */
  txt?: { name: string; text: string }[];
  /** Zones answered only from this config, e.g. ["test"]. */
  localZones?: string[];
};

export type DnsmasqServer = {
  port: number;
  /** A node:dns Resolver pointed only at this server. */
  resolver(): Resolver;
  logFile: string;
  stop(): Promise<void>;
};

const DNSMASQ = '/usr/sbin/dnsmasq';

async function freePort(): Promise<number> {
  // dnsmasq needs the same number free on UDP and TCP; take a TCP one and check UDP.
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (port && udpFree) return port;
  }
  throw new Error('No free loopback port for dnsmasq (tried 20)');
}

function configFor(port: number, records: DnsRecords): string {
  const lines = [
    `port=${port}`,
    'listen-address=127.0.0.1',
    'bind-interfaces',
    'no-resolv',
    'no-hosts',
    'no-poll',
    'no-negcache',
    'log-queries',
  ];
  for (const zone of records.localZones ?? []) lines.push(`local=/${zone}/`);
  for (const a of records.a ?? []) lines.push(`host-record=${a.name},${a.address}`);
  for (const mx of records.mx ?? []) lines.push(`mx-host=${mx.name},${mx.exchange},${mx.priority}`);
  for (const s of records.srv ?? [])
    lines.push(`srv-host=${s.name},${s.target},${s.port},${s.priority ?? 0},${s.weight ?? 1}`);
  for (const t of records.txt ?? []) lines.push(`txt-record=${t.name},"${t.text.replace(/"/g, '\\"')}"`);
  return `${lines.join('\n')}\n`;
}

export async function startDnsmasq(records: DnsRecords): Promise<DnsmasqServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-dnsmasq-'));
  const confFile = join(dir, 'dnsmasq.conf');
  const logFile = join(dir, 'dnsmasq.log');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    writeFileSync(confFile, configFor(port, records));
    const log = openSync(logFile, 'a');
    // dnsmasq runs under a tiny shell that holds our stdin pipe as a lifeline (fd 3, because a
    // background job's stdin is /dev/null in a non-interactive shell): when this process
    // dies without calling stop() (a crashed or killed test worker), the pipe closes and the shell
    // kills dnsmasq, so no DNS server outlives its test run. dnsmasq's own output goes to the log
    // file, never to the runner's pipes (a piped runner can hang on exit otherwise).
    const args = [
      `--conf-file=${confFile}`,
      '--keep-in-foreground',
      '--log-facility=-',
      '--pid-file=',
      '--user=root',
      '--group=root',
    ];
    const child: ChildProcess = spawn(
      '/bin/sh',
      [
        '-c',
        'exec 3<&0; "$0" "$@" </dev/null 3<&- & pid=$!; (cat <&3 >/dev/null; kill "$pid" 2>/dev/null) & wait "$pid"',
        DNSMASQ,
        ...args,
      ],
      { stdio: ['pipe', log, log] },
    );
    closeSync(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const resolver = (): Resolver => {
      const r = new Resolver({ timeout: 1_000, tries: 1 });
      r.setServers([`127.0.0.1:${port}`]);
      return r;
    };
    const kill = async (): Promise<void> => {
      child.stdin?.end();
      if (child.exitCode === null && child.signalCode === null) await exited;
    };
    const stop = async (): Promise<void> => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    };
    const ready = await waitUntilAnswering(resolver, exited);
    if (ready) return { port, resolver, logFile, stop };
    lastError = readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n');
    await kill();
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`dnsmasq did not start on a loopback port after 3 attempts. Last log lines:\n${lastError}`);
}

async function waitUntilAnswering(
  resolver: () => Resolver,
  exited: Promise<number | null>,
): Promise<boolean> {
  let dead = false;
  void exited.then(() => (dead = true));
  for (let i = 0; i < 50 && !dead; i++) {
    try {
      // Any answer, even NXDOMAIN, means it is listening; only a timeout/refusal means not yet.
      await resolver().resolve4('readiness-probe.invalid');
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EREFUSED' || code === 'ESERVFAIL')
        return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
