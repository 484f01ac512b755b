import { asciiDomain } from '../../../shared/domain/compose';
import type { Recipient } from '../../../shared/domain/drafts';

/** An address as it goes out: IDN domains in their ASCII form, which every server accepts. */
export function wireAddress(r: Recipient): string {
  const at = r.address.lastIndexOf('@');
  return `${r.address.slice(0, at)}@${asciiDomain(r.address.slice(at + 1)) ?? r.address.slice(at + 1)}`;
}

/** Display names by outgoing address, for To and Cc (Bcc names never appear in the message). */
export function displayNamesOf(recipients: Recipient[]): Record<string, string> {
  const displayNames: Record<string, string> = {};
  for (const r of recipients) if (r.name) displayNames[wireAddress(r)] = r.name;
  return displayNames;
}
