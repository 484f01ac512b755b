import { isIP } from 'node:net';
import {
  DeliveryCheckRequestSchema,
  type DeliveryCheck,
  type DeliveryCheckRequest,
  type DeliveryVerdict,
} from '../../../shared/domain/delivery-check';
import { DISCOVERY_DEADLINE_MS } from '../../../shared/domain/discovery';
import { checkEmailAddress } from '../../../shared/domain/email-address';
import { fail, ok, type Result } from '../../../shared/result';
import { findProviderByServer, normalizeDomain, type Provider } from '../../../shared/providers';
import { defaultDeliveryResolver, isNoRecord, withDeadline, type DeliveryResolver } from './delivery-dns';
import { dmarcVerdict } from './dmarc-verdict';
import { spfVerdict, type AddressProblem, type Sender } from './spf-verdict';

export type DeliveryCheckOptions = {
  /** Where the DNS questions go (a `--dns-server` override); the system's servers by default. */
  resolver?: DeliveryResolver;
  /** Every lookup shares this deadline: discovery's, by default. */
  deadlineMs?: number;
};

/**
 * "Will it arrive?": the From domain's SPF and DMARC, read for mail sent through this submission
 * server. Never throws and never blocks anything: whatever DNS does, the answer is a verdict per
 * check (unknown where DNS did not answer), within the deadline.
 */
export async function checkDelivery(
  request: DeliveryCheckRequest,
  options: DeliveryCheckOptions = {},
): Promise<Result<DeliveryCheck>> {
  const startedAt = Date.now();
  const parsed = DeliveryCheckRequestSchema.safeParse(request);
  const address = parsed.success ? checkEmailAddress(parsed.data.from) : undefined;
  if (!parsed.success || !address?.ok) {
    return fail({
      code: 'INVALID_REQUEST',
      message: `Mailroom cannot check delivery for “${String(request.from ?? '').slice(0, 80)}”: ${
        address && !address.ok ? address.problem : 'it needs a From address and an outgoing server'
      }.`,
      hint: 'Enter the full From address, like name@example.com, and the outgoing server name.',
    });
  }
  const domain = address.value.asciiDomain;
  const host = normalizeDomain(parsed.data.smtpHost.replace(/^\[|\]$/g, ''));
  // An address names a provider only with its port too: 127.0.0.1 is Proton's Bridge on 1025, and
  // anything else on another port.
  const named = findProviderByServer(host);
  const provider = named && (!isIP(host) || parsed.data.smtpPort === named.smtp.port) ? named : undefined;
  const sender: Sender = {
    from: address.value.wire,
    domain,
    host,
    through: provider?.name ?? host,
    ...(provider ? { provider } : {}),
  };
  const base = {
    from: sender.from,
    domain,
    smtpHost: host,
    ...(provider ? { provider: provider.name } : {}),
  };

  if (provider && ownDomainOf(provider, domain)) {
    return ok({
      ...base,
      serverAddresses: [],
      checks: ownDomainVerdicts(sender, provider),
      ms: Date.now() - startedAt,
    });
  }

  // Reserved names (RFC 6761/2606) exist on no public DNS server: asking the system's would only
  // send a pointless query off the machine. A chosen DNS server (tests, --dns-server) is still asked.
  if (!options.resolver && isReservedDomain(domain)) {
    return ok({
      ...base,
      serverAddresses: [],
      checks: reservedDomainVerdicts(domain),
      ms: Date.now() - startedAt,
    });
  }

  const lookups = withDeadline(
    options.resolver ?? defaultDeliveryResolver(),
    Math.min(options.deadlineMs ?? DISCOVERY_DEADLINE_MS, DISCOVERY_DEADLINE_MS),
  );
  try {
    let addresses: string[] = [];
    let addressProblem: AddressProblem | undefined;
    if (isIP(host)) addresses = [host];
    // RFC 6761: localhost is the loopback address by definition, and DNS servers do not know it.
    else if (isReservedDomain(host, ['localhost'])) addresses = ['127.0.0.1'];
    else
      try {
        addresses = await lookups.addresses(host);
      } catch (err) {
        addressProblem = isNoRecord(err) ? 'no-address' : 'no-answer';
      }
    const lookup = lookups.lookup as Parameters<typeof spfVerdict>[3];
    const spf = await spfVerdict(sender, addresses, addressProblem, lookup, lookups.txtNames);
    const dmarc = await dmarcVerdict(sender, spf, lookup);
    return ok({
      ...base,
      serverAddresses: addresses,
      checks: [spf.verdict, dmarc],
      note: `DKIM signing happens at ${sender.through} and cannot be seen from outside: if ${sender.through} signs mail for ${domain} (DKIM), DMARC passes even where SPF does not.`,
      ms: Date.now() - startedAt,
    });
  } finally {
    lookups.dispose();
  }
}

const RESERVED_TLDS = ['test', 'example', 'invalid', 'localhost', 'local'];

function isReservedDomain(name: string, tlds: readonly string[] = RESERVED_TLDS): boolean {
  const last = name.toLowerCase().split('.').pop() ?? '';
  return tlds.includes(last) || /^example\.(com|net|org)$/.test(name.toLowerCase());
}

function reservedDomainVerdicts(domain: string): DeliveryVerdict[] {
  const words = `${domain} is a reserved name (RFC 6761) that no public DNS server answers for, so it has no`;
  const hint = 'Check the From address: receivers on the internet will not accept mail from this domain.';
  return [
    { kind: 'spf', status: 'unknown', words: `${words} SPF record to read.`, hint },
    { kind: 'dmarc', status: 'unknown', words: `${words} DMARC policy to read.`, hint },
  ];
}

/** A free-mail provider sending for one of its own domains: it runs both records itself. */
function ownDomainOf(provider: Provider, domain: string): boolean {
  return provider.domains.includes(domain);
}

function ownDomainVerdicts(sender: Sender, provider: Provider): DeliveryVerdict[] {
  const words = `${sender.domain} is ${provider.name}'s own domain, and ${sender.host} is its server`;
  return [
    {
      kind: 'spf',
      status: 'pass',
      words: `${words}: ${provider.name} authorises its servers for it.`,
      hint: '',
    },
    {
      kind: 'dmarc',
      status: 'pass',
      words: `${words}: ${provider.name} signs and sends its mail as its own DMARC policy asks.`,
      hint: '',
    },
  ];
}
