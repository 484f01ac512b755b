import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelivery, deliveryThroughDnsServer } from '../../../electron/core/delivery';

// A DNS server that takes every query and never answers: the check must say that DNS did not
// answer (unknown), never that the domain publishes nothing, and must answer by its deadline.

let udp: Socket;
let tcp: Server;
let port = 0;
let queries = 0;

beforeAll(async () => {
  udp = createSocket('udp4');
  udp.on('message', () => queries++);
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

const noAnswerHint =
  'Check your connection (or the DNS server Mailroom was told to use), then check again. This check never stops you saving or sending.';

describe('delivery check when the DNS server does not answer', () => {
  it('says so for SPF and DMARC, with what to do', async () => {
    const result = await checkDelivery(
      { from: 'ada@quiet.test', smtpHost: 'smtp.quiet.test' },
      { resolver: deliveryThroughDnsServer(`127.0.0.1:${port}`) },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(queries).toBeGreaterThan(0);
    expect(result.value.checks).toEqual([
      {
        kind: 'spf',
        status: 'unknown',
        words: "Mailroom could not check quiet.test's SPF record: the DNS server did not answer in time.",
        hint: noAnswerHint,
      },
      {
        kind: 'dmarc',
        status: 'unknown',
        words: "Mailroom could not look up quiet.test's DMARC policy: the DNS server did not answer in time.",
        hint: noAnswerHint,
      },
    ]);
  });

  it('answers by its deadline, however long the resolver would wait', async () => {
    const started = Date.now();
    const result = await checkDelivery(
      // The server is an address, so SPF itself is evaluated (and its TXT lookup hangs).
      { from: 'ada@quiet.test', smtpHost: '192.0.2.10' },
      { resolver: deliveryThroughDnsServer(`127.0.0.1:${port}`), deadlineMs: 300 },
    );
    const elapsed = Date.now() - started;
    if (!result.ok) throw new Error(result.error.message);
    expect(elapsed).toBeLessThan(1_500);
    expect(result.value.checks.map((c) => [c.kind, c.status])).toEqual([
      ['spf', 'unknown'],
      ['dmarc', 'unknown'],
    ]);
    expect(result.value.checks[0]?.words).toMatch(/did not answer in time/);
  });
});
