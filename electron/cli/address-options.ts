import { checkEmailAddress } from '../../shared/domain/email-address';
import { UsageError } from './usage-error';

/**
 * An address given on the command line (--to, --email, …), checked by the same rule as the app's
 * (shared/domain/email-address.ts) before anything is opened, and refused with its wording.
 */
export function addressOption(command: string, option: string, value: string): string {
  const address = value.trim();
  const check = checkEmailAddress(address);
  if (!check.ok) throw new UsageError(`${option}: ${check.message}`, command);
  return address;
}
