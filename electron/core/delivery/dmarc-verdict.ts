import type { DNSResolver } from 'mailauth';
import type { DeliveryVerdict } from '../../../shared/domain/delivery-check';
import { noAnswerHint, type Sender, type SpfOutcome } from './spf-verdict';

/**
 * The From domain's DMARC policy and whether mail through this server meets it. From outside only
 * SPF alignment can be seen (the envelope sender is the From address, so an SPF pass is aligned);
 * DKIM signing happens at the provider, so a failing verdict names DKIM as the other way to pass.
 */
export async function dmarcVerdict(
  sender: Sender,
  spfOutcome: SpfOutcome,
  lookup: DNSResolver,
): Promise<DeliveryVerdict> {
  const { domain, from, through } = sender;
  // Loaded on use, as spfVerdict loads mailauth's SPF check.
  const { dmarc } = await import('mailauth/lib/dmarc/index.js');
  const result = await dmarc({
    headerFrom: from,
    spfDomains: spfOutcome.aligned === true ? [domain] : [],
    dkimDomains: [],
    resolver: lookup,
  });
  if (!result || result.status.result === 'temperror') {
    return {
      kind: 'dmarc',
      status: 'unknown',
      words: `Mailroom could not look up ${domain}'s DMARC policy: the DNS server did not answer in time.`,
      hint: noAnswerHint,
    };
  }
  if (result.status.result === 'none') {
    return {
      kind: 'dmarc',
      status: 'pass',
      words: `${domain} publishes no DMARC policy: receivers judge mail from ${from} by SPF and their own filters.`,
      hint: '',
    };
  }
  const policy = normalisePolicy(result.policy);
  const record = result.rr ? { record: result.rr } : {};
  const pct = typeof result.pct === 'number' && result.pct < 100 ? result.pct : undefined;
  const share =
    pct === undefined
      ? ''
      : ` The policy covers ${pct}% of failing mail; the rest is treated as policy none.`;
  const named = `${domain}'s DMARC policy is ${policy}`;

  if (spfOutcome.aligned === true) {
    return {
      kind: 'dmarc',
      status: 'pass',
      words: `${named}, and mail from ${from} sent through ${through} meets it: SPF authorises the server for ${domain}.`,
      hint: '',
      ...record,
    };
  }
  if (spfOutcome.aligned === 'unknown') {
    return {
      kind: 'dmarc',
      status: 'unknown',
      words: `${named}. Whether mail from ${from} sent through ${through} meets it could not be told, because SPF could not be checked.`,
      hint: noAnswerHint,
      ...record,
    };
  }
  const spfPart = spfOutcome.broken ? 'its SPF record is broken' : `its SPF does not include ${sender.host}`;
  const unlessDkim = `unless ${through} signs it for ${domain} (DKIM)`;
  const hint = dmarcFix(sender);
  if (policy === 'reject') {
    return {
      kind: 'dmarc',
      status: 'fail',
      words: `${named} and ${spfPart}: receivers will reject mail from ${from} sent through ${through} ${unlessDkim}.${share}`,
      hint,
      ...record,
    };
  }
  if (policy === 'quarantine') {
    return {
      kind: 'dmarc',
      status: 'fail',
      words: `${named} and ${spfPart}: receivers will put mail from ${from} sent through ${through} in spam ${unlessDkim}.${share}`,
      hint,
      ...record,
    };
  }
  return {
    kind: 'dmarc',
    status: 'warn',
    words: `${named} (monitor only) and ${spfPart}: receivers still deliver mail from ${from} sent through ${through}, but it fails DMARC ${unlessDkim}, and some put it in spam.`,
    hint,
    ...record,
  };
}

function normalisePolicy(policy: unknown): 'none' | 'quarantine' | 'reject' {
  const p = typeof policy === 'string' ? policy.trim().toLowerCase() : '';
  return p === 'reject' || p === 'quarantine' ? p : 'none';
}

function dmarcFix(sender: Sender): string {
  const include = sender.provider?.spf?.include;
  if (include)
    return `Add include:${include} to ${sender.domain}'s SPF record, or set up DKIM for ${sender.domain} at ${sender.through}.`;
  return `Authorise ${sender.host} in ${sender.domain}'s SPF record, or set up DKIM signing for ${sender.domain} where ${sender.host} is run.`;
}
