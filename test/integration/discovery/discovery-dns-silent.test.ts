import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSettings } from '../../../electron/core/discovery';
import { discoveryThroughDnsServer } from '../../../electron/core/discovery/dns-server-override';

// A DNS server that takes every query and never answers (UDP and TCP on the same loopback port):
// discovery must say that the DNS server did not answer, never that the domain publishes nothing.

let udp: Socket;
let tcp: Server;
let port = 0;
const queries: number[] = [];

beforeAll(async () => {
  udp = createSocket('udp4');
  udp.on('message', () => queries.push(Date.now()));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  port = udp.address().port;
  tcp = createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => resolve());
  });
});
afterAll(async () => {
  udp?.close();
  await new Promise((resolve) => tcp?.close(resolve));
});

describe('discovery when the DNS server does not answer', () => {
  it('says the DNS server did not answer, and every step keeps its outcome', async () => {
    const result = await discoverSettings(
      { email: 'ana@quiet-dns.test' },
      { dependencies: discoveryThroughDnsServer(`127.0.0.1:${port}`) },
    );
    expect(queries.length).toBeGreaterThan(0);
    if (!result.ok) throw new Error(result.error.message);
    const value = result.value;
    expect(value.found).toBe(false);
    expect(value.problem?.code).toBe('DISCOVERY_TIMEOUT');
    expect(value.problem?.message).toMatch(/the DNS server did not answer/);
    expect(value.problem?.message).not.toMatch(/publishes none/);
    expect(value.problem?.hint).toMatch(/by hand/);
    const step = (id: string) => value.steps.find((s) => s.step === id);
    expect(step('srv')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/DNS server did not answer/),
    });
    expect(step('mx')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/DNS server did not answer/),
    });
    expect(step('autoconfig')?.detail).toMatch(/DNS server did not answer/);
    expect(value.steps.map((s) => s.step)).toEqual(
      expect.arrayContaining(['built-in', 'autoconfig', 'well-known', 'srv', 'ispdb', 'mx', 'guess']),
    );
  });
});
