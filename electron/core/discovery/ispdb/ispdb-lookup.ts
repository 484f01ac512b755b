import type { DiscoveryCandidateInput } from '../../../../shared/domain/discovery';
import { fillAutoconfigTemplate, type AutoconfigEnable } from '../autoconfig-xml';
import { candidatesFromFile } from '../discovery-steps';
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

/**
 * The outgoing servers Thunderbird's database lists for this address's domain, filled in for the
 * address, in the provider's order (the first is preferred, the others are alternatives).
 */
export function ispdbCandidates(email: string, domain: string, language = 'en'): DiscoveryCandidateInput[] {
  const provider = findIspdbProvider(domain);
  if (!provider) return [];
  const file = fillAutoconfigTemplate({ ...provider, skipped: provider.skipped ?? [] }, email);
  const name = provider.displayName ?? provider.providerId;
  const steps = enableNotes(provider.enable, language);
  return candidatesFromFile(file, 'ispdb', `Built in (Thunderbird’s provider database): ${name}`).map(
    (c) => ({
      ...c,
      notes: [...steps, ...(c.notes ?? [])],
    }),
  );
}
