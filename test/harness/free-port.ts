import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it). Another process
 * can take it before the caller binds it; callers that start a peer on it retry or accept that.
 */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
