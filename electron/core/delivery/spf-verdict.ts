import { isIP } from 'node:net';
import type { DNSResolver, SPFResult } from 'mailauth';
import type { DeliveryVerdict } from '../../../shared/domain/delivery-check';
import type { Provider } from '../../../shared/providers';

/** Who the mail goes through, as the verdicts name it. */
export type Sender = {
  from: string;
  domain: string;
  host: string;
  /** The provider's name, or the server's when our data does not know it. */
  through: string;
  provider?: Provider;
};

/** Why the server's addresses are missing, when they are. */
export type AddressProblem = 'no-answer' | 'no-address';

export type SpfOutcome = {
  verdict: DeliveryVerdict;
  /** SPF passes for the From domain: DMARC is aligned through SPF (the envelope sender is the From). */
  aligned: boolean | 'unknown';
  /** The SPF record is broken (permerror): DMARC treats that as no SPF pass. */
  broken: boolean;
};

type Evaluation = { ip: string; result: SPFResult };

const STATUS_ORDER = ['temperror', 'permerror', 'none', 'fail', 'softfail', 'neutral', 'pass'] as const;

/**
 * SPF for the submission server's addresses. A provider's outbound servers are usually not its
 * submission host, so for providers in our data the question is also whether the domain's record
 * includes the provider's documented include (seen as a TXT lookup mailauth made while it walked
 * the record's include chain).
 */
export async function spfVerdict(
  sender: Sender,
  addresses: string[],
  addressProblem: AddressProblem | undefined,
  lookup: DNSResolver,
  txtNames: ReadonlySet<string>,
): Promise<SpfOutcome> {
  const { domain, host } = sender;
  if (addresses.length === 0) {
    const words =
      addressProblem === 'no-address'
        ? `${host} has no address in DNS, so Mailroom cannot tell whether ${domain}'s SPF record authorises it.`
        : `Mailroom could not check ${domain}'s SPF record: the DNS server did not answer in time.`;
    const hint =
      addressProblem === 'no-address' ? 'Check the outgoing server name, then check again.' : noAnswerHint;
    return { verdict: { kind: 'spf', status: 'unknown', words, hint }, aligned: 'unknown', broken: false };
  }

  // Loaded when a delivery check runs: mailauth and its dependencies are a third of the CLI's code,
  // and every other command (verify without --from among them) would pay for evaluating them. The
  // file itself, not the folder: a native import() does not resolve a directory.
  const { spf } = await import('mailauth/lib/spf/index.js');
  const evaluations: Evaluation[] = [];
  // One after another: they ask the same names, and the DNS server's cache answers the later ones.
  for (const ip of addresses.slice(0, 4)) {
    const result = await spf({ sender: sender.from, ip, helo: host, mta: 'mailroom', resolver: lookup });
    evaluations.push({ ip, result });
  }
  const worst = [...evaluations].sort(
    (a, b) => rank(a.result.status.result) - rank(b.result.status.result),
  )[0]!;
  const record = evaluations.find((e) => e.result.rr)?.result.rr;
  const withRecord = (v: Omit<DeliveryVerdict, 'kind'>): DeliveryVerdict => ({
    kind: 'spf',
    ...v,
    ...(record ? { record } : {}),
  });
  const include = sender.provider?.spf?.include;
  const includesProvider = include !== undefined && txtNames.has(include);
  const status = worst.result.status.result;

  if (status === 'temperror') {
    return {
      verdict: withRecord({
        status: 'unknown',
        words: `Mailroom could not check ${domain}'s SPF record: the DNS server did not answer in time.`,
        hint: noAnswerHint,
      }),
      aligned: 'unknown',
      broken: false,
    };
  }
  if (status === 'permerror') {
    const reason = permerrorReason(worst.result.status.comment ?? '');
    return {
      verdict: withRecord({
        status: 'fail',
        words: `${domain}'s SPF record is broken: ${reason.words}. Receivers treat that as a permanent error (permerror), so mail from ${sender.from} gets no SPF pass and may be rejected or put in spam.`,
        hint: reason.hint,
      }),
      aligned: false,
      broken: true,
    };
  }
  if (status === 'pass' || includesProvider) {
    const words =
      status === 'pass'
        ? `${domain}'s SPF record authorises ${serverNamed(host, evaluations)} to send for it.`
        : `${domain}'s SPF record includes ${include}, where ${sender.through} lists its outgoing servers.`;
    return { verdict: withRecord({ status: 'pass', words, hint: '' }), aligned: true, broken: false };
  }
  if (status === 'none') {
    return {
      verdict: {
        kind: 'spf',
        status: 'warn',
        words: `${domain} publishes no SPF record: receivers cannot tell whether ${host} may send for it, and many put such mail in spam.`,
        hint: `Add a TXT record at ${domain}: “v=spf1 ${mechanismFor(sender, evaluations)} ~all”.${sourceNote(sender)}`,
      },
      aligned: false,
      broken: false,
    };
  }
  const lists = include ? `does not include ${include} (${sender.through})` : `does not list ${host}`;
  const fix = addHint(sender, evaluations);
  if (status === 'fail') {
    return {
      verdict: withRecord({
        status: 'fail',
        words: `${domain}'s SPF record ${lists} and ends in -all: receivers will reject mail from ${sender.from} sent through ${sender.through}, or put it in spam.`,
        hint: fix,
      }),
      aligned: false,
      broken: false,
    };
  }
  if (status === 'softfail') {
    return {
      verdict: withRecord({
        status: 'warn',
        words: `${domain}'s SPF record ${lists} and ends in ~all: receivers may put mail from ${sender.from} sent through ${sender.through} in spam.`,
        hint: fix,
      }),
      aligned: false,
      broken: false,
    };
  }
  return {
    verdict: withRecord({
      status: 'warn',
      words: `${domain}'s SPF record ${lists} and neither allows nor forbids it (?all): receivers decide on other signs and may put mail from ${sender.from} in spam.`,
      hint: fix,
    }),
    aligned: false,
    broken: false,
  };
}

export const noAnswerHint =
  'Check your connection (or the DNS server Mailroom was told to use), then check again. This check never stops you saving or sending.';

/** "smtp.example.com (192.0.2.1)", or the address alone when the server was given as one. */
function serverNamed(host: string, evaluations: Evaluation[]): string {
  const ips = evaluations.map((e) => e.ip);
  return ips.length === 1 && ips[0] === host ? host : `${host} (${ips.join(', ')})`;
}

function rank(status: string): number {
  const i = (STATUS_ORDER as readonly string[]).indexOf(status);
  return i < 0 ? STATUS_ORDER.length : i;
}

/** What to put in the domain's record for this server: the provider's include, else its address. */
function mechanismFor(sender: Sender, evaluations: Evaluation[]): string {
  const include = sender.provider?.spf?.include;
  if (include) return `include:${include}`;
  const ip = evaluations[0]?.ip ?? '';
  return `${isIP(ip) === 6 ? 'ip6' : 'ip4'}:${ip}`;
}

function sourceNote(sender: Sender): string {
  const spfData = sender.provider?.spf;
  return spfData ? ` ${sender.through} documents this include at ${spfData.sourceUrl}.` : '';
}

function addHint(sender: Sender, evaluations: Evaluation[]): string {
  const mechanism = mechanismFor(sender, evaluations);
  if (sender.provider?.spf) return `Add ${mechanism} to ${sender.domain}'s SPF record.${sourceNote(sender)}`;
  return `Add ${mechanism} (the address of ${sender.host}) to ${sender.domain}'s SPF record, or the include your provider documents for its outgoing servers.`;
}

function permerrorReason(comment: string): { words: string; hint: string } {
  if (/Too many DNS requests/i.test(comment))
    return {
      words: 'checking it takes more than 10 DNS lookups, the limit RFC 7208 sets',
      hint: 'Bring it to 10 lookups or fewer: remove include: entries for services you no longer use, or replace some with the ip4:/ip6: ranges they stand for.',
    };
  if (/Too many void DNS results/i.test(comment))
    return {
      words: 'more than 2 of the names it points to do not exist',
      hint: 'Remove the include:, a: or mx: entries that point to names that no longer exist.',
    };
  if (/multiple SPF records/i.test(comment))
    return {
      words: 'the domain publishes more than one SPF record',
      hint: 'Merge them into a single TXT record that starts with v=spf1.',
    };
  const detail = comment.replace(/^.*?lookup of [^:]*:?\s*/, '').trim();
  return {
    words: detail ? `mailauth reports “${detail}”` : 'it does not follow RFC 7208',
    hint: 'Correct the record (an SPF checker at your DNS host shows which part is wrong), then check again.',
  };
}
