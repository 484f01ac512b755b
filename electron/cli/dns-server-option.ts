import { isIP } from 'node:net';
import { quoteValue } from '../../shared/domain/quoted-value';
import { UsageError } from './usage-error';

export const DNS_SERVER_HELP =
  '  --dns-server HOST:PORT   the delivery check (--from) asks only this DNS server (an IP address,\n' +
  '                           port 53 by default), e.g. 127.0.0.1:5353 or [2001:db8::53]:53';

/**
 * --dns-server HOST:PORT, as the browser host takes it: every DNS question of the command (discovery,
 * the delivery check) goes to this server. Node's resolver takes only addresses, so a name is refused
 * here rather than failing later in a lookup.
 */
export function dnsServerOption(command: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(text);
  const host = bracketed?.[1] ?? (isIP(text) === 6 ? text : plain?.[1]);
  const port = bracketed?.[2] ?? (isIP(text) === 6 ? undefined : plain?.[2]);
  if (!host || !isIP(host))
    throw new UsageError(
      `--dns-server must be an IP address with an optional port (HOST:PORT), not ${quoteValue(value)}`,
      command,
    );
  const portNumber = port === undefined ? 53 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)
    throw new UsageError(`--dns-server's port must be between 1 and 65535, not ${port}`, command);
  return isIP(host) === 6 ? `[${host}]:${portNumber}` : `${host}:${portNumber}`;
}
