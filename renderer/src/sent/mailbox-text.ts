import type { Mailbox } from '../../../shared/domain/sent-message';

/** "Bob Babbage <bob@example.org>", or the bare address when there is no name. */
export function mailboxText(mailbox: Mailbox): string {
  return mailbox.name ? `${mailbox.name} <${mailbox.address}>` : mailbox.address;
}

/** Who a message went to, for a list row: names where known, addresses otherwise. */
export function recipientNames(addresses: readonly string[], names: Record<string, string> = {}): string {
  return addresses.map((address) => names[address] || address).join(', ');
}
