import type { MxRecord, SrvRecord } from 'node:dns';
import type { DiscoveryCandidateInput, DiscoveryStepId, ThirdParty } from '../../../shared/domain/discovery';
import type { Provider } from '../../../shared/providers/provider-schema';
import { findProviderByDomain, findProviderByMx } from '../../../shared/providers/provider-lookup';
import { AutoconfigParseError, parseAutoconfigXml, type AutoconfigFile } from './autoconfig-xml';
import { baseDomain, isWithin } from './domain-names';
import type { HttpsFetcher } from './https-fetcher';
import type { SmtpProbe, ProbeTarget } from './smtp-probe';

/** The subset of node:dns/promises `Resolver` discovery uses; tests inject one pointed at dnsmasq. */
export interface DnsResolver {
  resolveMx(hostname: string): Promise<MxRecord[]>;
  resolveSrv(hostname: string): Promise<SrvRecord[]>;
}

export type DiscoveryDependencies = {
  resolver: DnsResolver;
  fetchHttps: HttpsFetcher;
  probeSmtp: SmtpProbe;
  /** Thunderbird ISPDB base, ending in "/"; the domain is appended. */
  ispdbBaseUrl: string;
};

export type StepTimeouts = { dnsMs: number; httpMs: number; probeMs: number };

export type StepContext = {
  email: string;
  localPart: string;
  domain: string;
  /** Aborted when discovery is decided, cancelled or out of time. */
  signal: AbortSignal;
  deps: DiscoveryDependencies;
  timeouts: StepTimeouts;
};

export type StepOutcome = { candidates: DiscoveryCandidateInput[]; detail: string };

/**
 * A step that ran into a real problem (as opposed to "nothing published here"). `noAnswer` says the
 * DNS server (or the step's own timeout) gave no answer at all: then "the domain publishes nothing"
 * is unknown, and discovery must say that it timed out.
 */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    message: string,
    readonly noAnswer: 'dns' | 'timeout' | undefined = undefined,
  ) {
    super(message);
  }
}

/** c-ares says ETIMEOUT when a DNS server never answers; getaddrinfo says EAI_AGAIN. */
export function isDnsNoAnswer(err: unknown): boolean {
  const e = err as ErrorWithCode | undefined;
  return (
    e?.code === 'ETIMEOUT' || e?.code === 'EAI_AGAIN' || /\b(ETIMEOUT|EAI_AGAIN)\b/.test(e?.message ?? '')
  );
}

export type DiscoveryStepDefinition = {
  id: DiscoveryStepId;
  /** The best source rank this step can produce; lets discovery stop once nothing pending can beat the best found. */
  rank: number;
  run(ctx: StepContext): Promise<StepOutcome>;
};

type ErrorWithCode = Error & { code?: string };

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** Runs `work` with its own timeout under the discovery-wide signal, racing it so a stuck call can't hold discovery. */
async function withTimeout<T>(
  ctx: StepContext,
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(ms);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(
        timeout.aborted && !ctx.signal.aborted
          ? new StepFailure(`${what}: no answer within ${seconds(ms)}`, 'timeout')
          : new StepFailure(`${what}: stopped`),
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work(signal).then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onAbort();
        else reject(err);
      },
    );
  });
}

function isMissing(err: unknown): boolean {
  const code = (err as ErrorWithCode | undefined)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN' || code === 'ECONNREFUSED';
}

function providerCandidate(
  provider: Provider,
  ctx: Pick<StepContext, 'email' | 'localPart'>,
  sourceKind: 'built-in' | 'mx-built-in',
  source: string,
  thirdParty?: ThirdParty,
): DiscoveryCandidateInput {
  return {
    settings: {
      host: provider.smtp.host,
      port: provider.smtp.port,
      security: provider.smtp.security,
      authMethod: provider.auth.kind === 'oauth2' ? 'oauth2' : 'password',
      username: provider.username === 'address' ? ctx.email : ctx.localPart,
    },
    sourceKind,
    source,
    notes: provider.notes,
    provider: { id: provider.id, name: provider.name },
    instructionsUrl: provider.instructionsUrl,
    authKind: provider.auth.kind,
    oauth2Available: provider.auth.oauth2Available,
    ...(thirdParty ? { thirdParty } : {}),
  };
}

/** The built-in database, by the address's own domain. Synchronous: answers before any network step. */
export function builtInCandidate(
  ctx: Pick<StepContext, 'email' | 'localPart' | 'domain'>,
): DiscoveryCandidateInput | undefined {
  const provider = findProviderByDomain(ctx.domain);
  return provider ? providerCandidate(provider, ctx, 'built-in', `Built in: ${provider.name}`) : undefined;
}

function unencryptedNote(security: string): string[] {
  return security === 'none'
    ? [
        'This server offers no encryption: your password and messages would cross the network readable by anyone on the way. RFC 8314 asks mail programs to use encryption (port 465 or 587); Mailroom will not send a password over it unless you explicitly allow it. Ask the provider for an encrypted server.',
      ]
    : [];
}

/** The outgoing servers of an autoconfig file (the ISP's, the online or the built-in ISPDB) as candidates. */
export function candidatesFromFile(
  file: AutoconfigFile,
  sourceKind: 'isp-autoconfig' | 'ispdb' | 'mx-ispdb',
  source: string,
  thirdParty?: ThirdParty,
): DiscoveryCandidateInput[] {
  return file.outgoingServers.map((s) => ({
    settings: {
      host: s.host,
      port: s.port,
      security: s.security,
      authMethod: s.authMethod,
      username: s.username,
    },
    sourceKind,
    source,
    notes: unencryptedNote(s.security),
    ...(file.providerId && file.displayName
      ? { provider: { id: file.providerId, name: file.displayName } }
      : {}),
    ...(file.documentationUrl ? { instructionsUrl: file.documentationUrl } : {}),
    authKind: s.authMethod === 'oauth2' ? ('oauth2' as const) : ('password' as const),
    oauth2Available: s.oauth2Available,
    ...(thirdParty ? { thirdParty } : {}),
  }));
}

function describeFetchError(err: unknown, host: string): StepOutcome | never {
  const e = err as ErrorWithCode;
  if (err instanceof StepFailure) throw err;
  if (isDnsNoAnswer(err)) throw new StepFailure(`${host}: the DNS server did not answer`, 'dns');
  if (isMissing(err))
    return {
      candidates: [],
      detail: `${host}: ${e.code === 'ECONNREFUSED' ? 'no web server' : 'no such server'}`,
    };
  if (/certificate|self[- ]signed|altnames|CERT_/i.test(`${e.code ?? ''} ${e.message}`)) {
    throw new StepFailure(`${host}: its HTTPS certificate is not trusted, so its settings were ignored`);
  }
  throw new StepFailure(`${host}: ${e.message}`);
}

/** Fetches and parses one config-v1.1.xml; 404 and missing hosts are "nothing", not failures. */
async function fetchAutoconfig(
  ctx: StepContext,
  url: string,
): Promise<{ file: AutoconfigFile; finalUrl: string } | { nothing: string }> {
  const host = new URL(url).host;
  let res;
  try {
    res = await withTimeout(ctx, ctx.timeouts.httpMs, host, (signal) => ctx.deps.fetchHttps(url, { signal }));
  } catch (err) {
    return { nothing: describeFetchError(err, host).detail };
  }
  if (res.status === 404 || res.status === 410)
    return { nothing: `${host}: no settings file (HTTP ${res.status})` };
  if (res.status !== 200) throw new StepFailure(`${host}: answered HTTP ${res.status}`);
  try {
    return { file: parseAutoconfigXml(res.body, ctx.email), finalUrl: res.url };
  } catch (err) {
    if (err instanceof AutoconfigParseError)
      throw new StepFailure(`${new URL(res.url).host}: ${err.message}`);
    throw err;
  }
}

function redirectCheck(ctx: StepContext, finalUrl: string): ThirdParty | undefined {
  const finalHost = new URL(finalUrl).hostname;
  if (isWithin(finalHost, baseDomain(ctx.domain))) return undefined;
  return {
    domain: baseDomain(finalHost),
    reason: `${ctx.domain}'s settings file sent Mailroom to ${finalHost}, which belongs to someone else. Use these settings only if you expect ${baseDomain(finalHost)} to handle your mail.`,
  };
}

function ispAutoconfigStep(
  id: 'autoconfig' | 'well-known',
  urlFor: (ctx: StepContext) => string,
): DiscoveryStepDefinition {
  return {
    id,
    rank: 1,
    async run(ctx) {
      const url = urlFor(ctx);
      const got = await fetchAutoconfig(ctx, url);
      if ('nothing' in got) return { candidates: [], detail: got.nothing };
      const thirdParty = redirectCheck(ctx, got.finalUrl);
      const candidates = candidatesFromFile(
        got.file,
        'isp-autoconfig',
        `Published by ${ctx.domain}`,
        thirdParty,
      );
      const where = new URL(got.finalUrl).host;
      const skipped = got.file.skipped.length ? `; skipped ${got.file.skipped.join('; ')}` : '';
      return {
        candidates,
        detail: candidates.length
          ? `${where}: ${candidates.length} outgoing server(s)${skipped}`
          : `${where}: no usable outgoing server${skipped}`,
      };
    },
  };
}

export const autoconfigStep = ispAutoconfigStep(
  'autoconfig',
  (ctx) =>
    `https://autoconfig.${ctx.domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(ctx.email)}`,
);

export const wellKnownStep = ispAutoconfigStep(
  'well-known',
  (ctx) =>
    `https://${ctx.domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(ctx.email)}`,
);

async function ispdbLookup(
  ctx: StepContext,
  domain: string,
): Promise<{ file: AutoconfigFile } | { nothing: string }> {
  const got = await fetchAutoconfig(ctx, `${ctx.deps.ispdbBaseUrl}${encodeURIComponent(domain)}`);
  if ('nothing' in got) return { nothing: `${domain} is not in the database` };
  return { file: got.file };
}

export const ispdbStep: DiscoveryStepDefinition = {
  id: 'ispdb',
  rank: 3,
  async run(ctx) {
    const got = await ispdbLookup(ctx, ctx.domain);
    if ('nothing' in got) return { candidates: [], detail: got.nothing };
    const name = got.file.displayName ?? ctx.domain;
    const candidates = candidatesFromFile(got.file, 'ispdb', `Thunderbird’s provider database: ${name}`);
    return {
      candidates,
      detail: candidates.length ? `Listed: ${name}` : `Listed, but with no usable outgoing server`,
    };
  },
};

async function resolveOrNothing<T>(ctx: StepContext, what: string, query: () => Promise<T[]>): Promise<T[]> {
  try {
    return await withTimeout(ctx, ctx.timeouts.dnsMs, what, () => query());
  } catch (err) {
    if (isMissing(err)) return [];
    if (err instanceof StepFailure && err.noAnswer)
      throw new StepFailure(
        `${what}: the DNS server did not answer within ${seconds(ctx.timeouts.dnsMs)}`,
        'dns',
      );
    if (err instanceof StepFailure) throw err;
    if (isDnsNoAnswer(err)) throw new StepFailure(`${what}: the DNS server did not answer`, 'dns');
    throw new StepFailure(
      `${what}: DNS lookup failed (${(err as ErrorWithCode).code ?? (err as Error).message})`,
    );
  }
}

export const srvStep: DiscoveryStepDefinition = {
  id: 'srv',
  rank: 2,
  async run(ctx) {
    // RFC 8314 prefers implicit TLS, so _submissions comes first at equal priority.
    const services = [
      { name: `_submissions._tcp.${ctx.domain}`, security: 'tls' as const },
      { name: `_submission._tcp.${ctx.domain}`, security: 'starttls' as const },
    ];
    const answers = await Promise.all(
      services.map(async (s) => ({
        ...s,
        records: await resolveOrNothing(ctx, s.name, () => ctx.deps.resolver.resolveSrv(s.name)),
      })),
    );
    const found = answers
      .flatMap((a) => a.records.map((r) => ({ record: r, security: a.security })))
      // RFC 6186: a target of "." says the service is deliberately not offered.
      .filter((x) => x.record.name !== '' && x.record.name !== '.' && x.record.port > 0)
      .sort((a, b) => a.record.priority - b.record.priority || b.record.weight - a.record.weight);
    const candidates = found.map(({ record, security }): DiscoveryCandidateInput => {
      const host = record.name.replace(/\.$/, '').toLowerCase();
      const outside = !isWithin(host, baseDomain(ctx.domain));
      return {
        settings: { host, port: record.port, security, authMethod: 'password', username: ctx.email },
        sourceKind: 'dns-srv',
        source: 'DNS SRV record',
        notes: [
          'The DNS record names the server but not the username; Mailroom filled in your full address.',
        ],
        ...(outside
          ? {
              thirdParty: {
                domain: baseDomain(host),
                reason: `${ctx.domain}'s DNS points to a server at ${baseDomain(host)}. Use it only if you expect ${baseDomain(host)} to handle your mail.`,
              },
            }
          : {}),
      };
    });
    return {
      candidates,
      detail: candidates.length
        ? candidates.map((c) => `${c.settings.host}:${c.settings.port}`).join(', ')
        : `No submission records for ${ctx.domain}`,
    };
  },
};

export const mxStep: DiscoveryStepDefinition = {
  id: 'mx',
  rank: 4,
  async run(ctx) {
    const records = await resolveOrNothing(ctx, `MX ${ctx.domain}`, () =>
      ctx.deps.resolver.resolveMx(ctx.domain),
    );
    const hosts = records
      .filter((r) => r.exchange && r.exchange !== '.')
      .sort((a, b) => a.priority - b.priority)
      .map((r) => r.exchange.replace(/\.$/, '').toLowerCase());
    const primary = hosts[0];
    if (!primary) return { candidates: [], detail: `${ctx.domain} has no MX records` };

    const thirdPartyFor = (name: string, domain: string): ThirdParty => ({
      domain,
      reason: `${ctx.domain}'s incoming mail (MX) is handled by ${name} (${domain}). Use ${name}'s outgoing server if that is your provider.`,
    });

    for (const host of hosts) {
      const provider = findProviderByMx(host);
      if (provider) {
        const domain = baseDomain(host);
        return {
          candidates: [
            providerCandidate(
              provider,
              ctx,
              'mx-built-in',
              `Built in: ${provider.name} (from the domain’s MX)`,
              thirdPartyFor(provider.name, domain),
            ),
          ],
          detail: `${host} is ${provider.name}`,
        };
      }
    }
    const mxDomain = baseDomain(primary);
    if (isWithin(mxDomain, baseDomain(ctx.domain))) {
      return { candidates: [], detail: `${primary} is run by ${ctx.domain} itself` };
    }
    const byDomain = findProviderByDomain(mxDomain);
    if (byDomain) {
      return {
        candidates: [
          providerCandidate(
            byDomain,
            ctx,
            'mx-built-in',
            `Built in: ${byDomain.name} (from the domain’s MX)`,
            thirdPartyFor(byDomain.name, mxDomain),
          ),
        ],
        detail: `${primary} belongs to ${byDomain.name}`,
      };
    }
    const got = await ispdbLookup(ctx, mxDomain);
    if ('nothing' in got) return { candidates: [], detail: `${primary}: ${got.nothing}` };
    const name = got.file.displayName ?? mxDomain;
    const candidates = candidatesFromFile(
      got.file,
      'mx-ispdb',
      `Thunderbird’s provider database: ${name} (from the domain’s MX)`,
      thirdPartyFor(name, mxDomain),
    );
    return { candidates, detail: `${primary} belongs to ${name}` };
  },
};

export const guessStep: DiscoveryStepDefinition = {
  id: 'guess',
  rank: 6,
  async run(ctx) {
    // Best first: the order of this list is the order of preference among the servers that answer.
    const targets: ProbeTarget[] = [`smtp.${ctx.domain}`, `mail.${ctx.domain}`, ctx.domain].flatMap(
      (host) => [
        { host, port: 465, security: 'tls' as const },
        { host, port: 587, security: 'starttls' as const },
      ],
    );
    const outcomes = await Promise.all(
      targets.map(async (target) => ({
        target,
        outcome: await ctx.deps.probeSmtp(target, { signal: ctx.signal, timeoutMs: ctx.timeouts.probeMs }),
      })),
    );
    if (ctx.signal.aborted) throw new StepFailure('stopped');
    const candidates = outcomes
      .filter((o) => o.outcome.ok)
      .map(({ target, outcome }): DiscoveryCandidateInput => ({
        settings: {
          host: target.host,
          port: target.port,
          security: target.security,
          authMethod: 'password',
          username: ctx.email,
        },
        sourceKind: 'guess',
        source: 'Guessed and verified',
        notes: [
          `${target.host} answered on port ${target.port} with working encryption. The username is a guess (your full address); check it with your provider.`,
          ...(outcome.ok && !outcome.offersAuth
            ? ['The server did not offer sign-in on this port; it may accept mail only from its own network.']
            : []),
        ],
        probed: true,
      }));
    const failures = outcomes.filter((o) => !o.outcome.ok).map((o) => (o.outcome.ok ? '' : o.outcome.reason));
    const uniqueFailures = [...new Set(failures)];
    if (
      !candidates.length &&
      failures.length &&
      failures.every((f) => f.endsWith('the DNS server did not answer'))
    )
      throw new StepFailure(
        `No server could be tried: the DNS server did not answer for ${targets[0]?.host} and the others`,
        'dns',
      );
    return {
      candidates,
      detail: candidates.length
        ? `Answered: ${candidates.map((c) => `${c.settings.host}:${c.settings.port}`).join(', ')}`
        : `No server answered (${uniqueFailures.slice(0, 3).join('; ')}${uniqueFailures.length > 3 ? '; …' : ''})`,
    };
  },
};

export const NETWORK_STEPS: readonly DiscoveryStepDefinition[] = [
  autoconfigStep,
  wellKnownStep,
  srvStep,
  ispdbStep,
  mxStep,
  guessStep,
];
