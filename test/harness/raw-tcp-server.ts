import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';

/**
 * Scripted, deliberately broken "mail servers" on 127.0.0.1 for the failures a real server library
 * will not produce: a garbage banner, a connection dropped right after EHLO, a server that accepts
 * and never says anything, and a port whose connect never completes.
 */
export type RawBehaviour =
  'garbage-banner' | 'drop-after-ehlo' | 'never-answers' | ((socket: net.Socket) => void);

export interface RawServer {
  host: '127.0.0.1';
  port: number;
  stop(): Promise<void>;
}

function script(behaviour: RawBehaviour): (socket: net.Socket) => void {
  if (typeof behaviour === 'function') return behaviour;
  switch (behaviour) {
    case 'garbage-banner':
      return (socket) => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    case 'never-answers':
      return () => undefined;
    case 'drop-after-ehlo':
      return (socket) => {
        socket.write('220 flaky.test ESMTP\r\n');
        socket.on('data', (chunk) => {
          if (/^(EHLO|HELO)/i.test(chunk.toString())) socket.destroy();
        });
      };
  }
}

export async function startRawTcpServer(behaviour: RawBehaviour): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const handler = script(behaviour);
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    handler(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A loopback port where TCP connect itself never completes: a listener (in a small perl process,
 * because Node always accepts) with a zero backlog that never accepts, its queue filled by idle
 * connections, so Linux silently drops further SYNs, as a firewall that drops packets would.
 * Stays on 127.0.0.1: nothing is ever sent to another address.
 */
export async function startBlackholeListener(): Promise<RawServer> {
  const child: ChildProcess = spawn(
    'perl',
    [
      '-MIO::Socket::INET',
      '-e',
      '$|=1; my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 0, ReuseAddr => 1) or die "listen: $!"; print $s->sockport, "\\n"; sleep 600;',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  // Open idle connections until one no longer completes: from then on the queue is full.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const filler = net.connect(port, '127.0.0.1');
    filler.on('error', () => undefined);
    fillers.push(filler);
    const connected = await Promise.race([
      once(filler, 'connect').then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 150)),
    ]);
    if (!connected) break;
  }
  return {
    host: '127.0.0.1',
    port,
    stop: async () => {
      for (const f of fillers) f.destroy();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
