import { checkEmailAddress } from '../../../shared/domain/email-address';
import type { Recipient } from '../../../shared/domain/drafts';

/** An address as it goes out: IDN domains in their ASCII form, which every server accepts. */
export function wireAddress(r: Recipient): string {
  const check = checkEmailAddress(r.address);
  // An invalid address is sent as typed, so the core's check names it exactly as the user wrote it.
  return check.ok ? check.value.wire : r.address;
}

/** Display names by outgoing address, for To and Cc (Bcc names never appear in the message). */
export function displayNamesOf(recipients: Recipient[]): Record<string, string> {
  const displayNames: Record<string, string> = {};
  for (const r of recipients) if (r.name) displayNames[wireAddress(r)] = r.name;
  return displayNames;
}
