import { Resolver } from 'node:dns/promises';

/** The DNS questions the delivery check asks: mailauth's resolver(name, type) plus address lookups. */
export interface DeliveryResolver {
  resolve(hostname: string, rrtype: string): Promise<unknown>;
  resolve4(hostname: string): Promise<string[]>;
  resolve6(hostname: string): Promise<string[]>;
}

/** The system's DNS servers, as discovery uses them. */
export function defaultDeliveryResolver(): DeliveryResolver {
  return new Resolver({ timeout: 3_000, tries: 2 });
}

/**
 * `--dns-server HOST:PORT`: the delivery check asks only this DNS server (a local dnsmasq in tests,
 * or the resolver a user wants to check against), like discovery does.
 */
export function deliveryThroughDnsServer(server: string): DeliveryResolver {
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  resolver.setServers([server]);
  return resolver;
}

/** Shaped like c-ares' own timeout, so mailauth reads it as a temporary error (temperror). */
export class DeadlinePassed extends Error {
  readonly code = 'ETIMEOUT';
  constructor(hostname: string) {
    super(`No DNS answer for ${hostname} before the check's deadline`);
  }
}

export function isNoAnswer(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ETIMEOUT' || code === 'ECONNREFUSED' || code === 'EREFUSED' || code === 'ESERVFAIL';
}

export function isNoRecord(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

export type DeadlineLookups = {
  /** mailauth's resolver signature, under the deadline, recording every TXT name asked for. */
  lookup(hostname: string, rrtype: string): Promise<unknown>;
  addresses(hostname: string): Promise<string[]>;
  /** TXT names asked for so far (lower case, no trailing dot): the include chain SPF walked. */
  txtNames: Set<string>;
  dispose(): void;
};

/**
 * Every lookup of one check shares one deadline: whatever the DNS server does, the check answers in
 * time, and what did not come back counts as "no answer" (unknown), never as "no record".
 */
export function withDeadline(resolver: DeliveryResolver, deadlineMs: number): DeadlineLookups {
  const waiting = new Set<() => void>();
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    for (const reject of waiting) reject();
    waiting.clear();
  }, deadlineMs);
  timer.unref?.();
  const race = <T>(hostname: string, work: () => Promise<T>): Promise<T> => {
    if (passed) return Promise.reject(new DeadlinePassed(hostname));
    return new Promise<T>((resolve, reject) => {
      const onDeadline = (): void => reject(new DeadlinePassed(hostname));
      waiting.add(onDeadline);
      work().then(
        (value) => {
          waiting.delete(onDeadline);
          resolve(value);
        },
        (err: unknown) => {
          waiting.delete(onDeadline);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  };
  const txtNames = new Set<string>();
  return {
    txtNames,
    lookup(hostname, rrtype) {
      if (rrtype === 'TXT') txtNames.add(hostname.toLowerCase().replace(/\.$/, ''));
      return race(hostname, () => resolver.resolve(hostname, rrtype));
    },
    async addresses(hostname) {
      const [v4, v6] = await Promise.allSettled([
        race(hostname, () => resolver.resolve4(hostname)),
        race(hostname, () => resolver.resolve6(hostname)),
      ]);
      const found = [
        ...(v4.status === 'fulfilled' ? v4.value : []),
        ...(v6.status === 'fulfilled' ? v6.value : []),
      ];
      if (found.length > 0) return found;
      // Prefer "no answer" over "no record": a silent server says nothing about the name.
      const errors = [v4, v6].map((r) => (r.status === 'rejected' ? (r.reason as unknown) : undefined));
      throw (
        errors.find((e) => isNoAnswer(e)) ?? errors.find((e) => e !== undefined) ?? new Error('no address')
      );
    },
    dispose() {
      clearTimeout(timer);
      waiting.clear();
    },
  };
}

/**
 * One DNS server override for the whole core: the resolver a host gave discovery (`--dns-server`)
 * answers the delivery check too, so a test run or a user's chosen resolver sees every question.
 */
export function resolverShared(candidate: unknown): DeliveryResolver | undefined {
  const r = candidate as Partial<DeliveryResolver> | undefined;
  return typeof r?.resolve === 'function' &&
    typeof r.resolve4 === 'function' &&
    typeof r.resolve6 === 'function'
    ? (r as DeliveryResolver)
    : undefined;
}
