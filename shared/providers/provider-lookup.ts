import { PROVIDERS } from './provider-data';
import { ProviderSchema, type Provider } from './provider-schema';

/**
 * Lookups over the embedded provider database. The data is parsed and indexed once, on first use,
 * so a lookup while the user types is a Map hit.
 */

type Index = {
  all: readonly Provider[];
  byId: ReadonlyMap<string, Provider>;
  byDomain: ReadonlyMap<string, Provider>;
  /** MX suffix -> provider, longest suffix first so "olc.protection.outlook.com" beats "protection.outlook.com". */
  mx: readonly { suffix: string; provider: Provider }[];
};

let index: Index | undefined;

function buildIndex(): Index {
  const all = PROVIDERS.map((p) => ProviderSchema.parse(p));
  const byId = new Map<string, Provider>();
  const byDomain = new Map<string, Provider>();
  const mx: { suffix: string; provider: Provider }[] = [];
  for (const provider of all) {
    if (byId.has(provider.id)) throw new Error(`Provider database: duplicate id "${provider.id}"`);
    byId.set(provider.id, provider);
    for (const domain of provider.domains) {
      const taken = byDomain.get(domain);
      if (taken)
        throw new Error(
          `Provider database: domain ${domain} is listed by both ${taken.id} and ${provider.id}`,
        );
      byDomain.set(domain, provider);
    }
    for (const suffix of provider.mxPatterns) mx.push({ suffix, provider });
  }
  mx.sort((a, b) => b.suffix.length - a.suffix.length);
  return { all, byId, byDomain, mx };
}

function getIndex(): Index {
  index ??= buildIndex();
  return index;
}

/** Lower-case, no trailing dot: DNS answers and user input both end up in this form. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

export function allProviders(): readonly Provider[] {
  return getIndex().all;
}

export function findProviderById(id: string): Provider | undefined {
  return getIndex().byId.get(id);
}

/** The provider that serves addresses at exactly this domain (aliases included). */
export function findProviderByDomain(domain: string): Provider | undefined {
  return getIndex().byDomain.get(normalizeDomain(domain));
}

/**
 * The provider whose outgoing server this is (its published host, or a host in one of its address
 * domains), else the one whose tell-tale words are in the server's reply.
 */
export function findProviderByServer(host: string, reply = ''): Provider | undefined {
  const name = normalizeDomain(host);
  const all = getIndex().all;
  return (
    all.find((p) => p.smtp.host === name) ??
    all.find((p) => p.domains.some((d) => name.endsWith(`.${d}`))) ??
    all.find((p) => p.replySignatures.some((signature) => new RegExp(signature, 'i').test(reply)))
  );
}

/** The provider whose mail servers these are, matching whole labels: "evilgoogle.com" is not Google. */
export function findProviderByMx(mxHost: string): Provider | undefined {
  const host = normalizeDomain(mxHost);
  for (const { suffix, provider } of getIndex().mx) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return provider;
  }
  return undefined;
}
