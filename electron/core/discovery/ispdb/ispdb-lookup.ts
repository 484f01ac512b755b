import type { DiscoveryCandidateInput } from '../../../../shared/domain/discovery';
import { fillAutoconfigTemplate, type AutoconfigEnable } from '../autoconfig-xml';
import type { IspdbProvider, IspdbSnapshot } from './ispdb-snapshot-builder';
import snapshotData from './ispdb-snapshot.json';

const snapshot = snapshotData as IspdbSnapshot;
let byDomain: Map<string, IspdbProvider> | undefined;

/** The snapshot's provider for exactly this address domain (an index built on first use). */
export function findIspdbProvider(domain: string): IspdbProvider | undefined {
  if (!byDomain) {
    byDomain = new Map();
    for (const provider of snapshot.providers) {
      for (const d of provider.domains) if (!byDomain.has(d)) byDomain.set(d, provider);
    }
  }
  return byDomain.get(domain.trim().toLowerCase().replace(/\.$/, ''));
}

export function ispdbDomains(): string[] {
  return snapshot.providers.flatMap((p) => p.domains);
}

/** The steps the provider says come first, in the user's language where the file has it. */
function enableNotes(enable: AutoconfigEnable | undefined, language: string): string[] {
  if (!enable) return [];
  const pick =
    enable.instructions.find((i) => i.lang === language) ?? enable.instructions.find((i) => !i.lang);
  const step = pick?.text ?? 'The provider asks you to allow access from mail programs first.';
  return [`Before this works: ${step}${enable.url ? ` (${enable.url})` : ''}`];
}

/** RFC 8314: a password must not cross the network unencrypted. */
const PLAIN_TEXT_NOTE =
  'This server is listed without encryption: your password and messages would cross the network readable by anyone on the way. RFC 8314 asks mail programs to use encryption (port 465 or 587); Mailroom will not send a password over it unless you explicitly allow it. Ask the provider for an encrypted server.';

/**
 * The outgoing servers Thunderbird's database lists for this address's domain, filled in for the
 * address, in the provider's order (the first is preferred, the others are alternatives).
 */
export function ispdbCandidates(email: string, domain: string, language = 'en'): DiscoveryCandidateInput[] {
  const provider = findIspdbProvider(domain);
  if (!provider) return [];
  const file = fillAutoconfigTemplate({ ...provider, skipped: provider.skipped ?? [] }, email);
  const name = provider.displayName ?? provider.providerId;
  const notes = enableNotes(provider.enable, language);
  return file.outgoingServers.map((s) => ({
    settings: {
      host: s.host,
      port: s.port,
      security: s.security,
      authMethod: s.authMethod,
      username: s.username,
    },
    sourceKind: 'ispdb' as const,
    source: `Built in (Thunderbird’s provider database): ${name}`,
    notes: [...notes, ...(s.security === 'none' ? [PLAIN_TEXT_NOTE] : [])],
    provider: { id: `ispdb:${provider.providerId}`, name },
    ...(provider.documentationUrl ? { instructionsUrl: provider.documentationUrl } : {}),
    authKind: s.authMethod === 'oauth2' ? ('oauth2' as const) : ('password' as const),
    oauth2Available: s.oauth2Available,
  }));
}
