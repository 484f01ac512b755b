import { formatBytes } from '../../../shared/domain/byte-size';
import type { Capabilities } from '../../../shared/domain/verification';

/** Reads an EHLO reply ("250-host\n250-SIZE 1000\n250 AUTH PLAIN LOGIN") into capabilities. */
export function parseEhlo(reply: string, encrypted: boolean): Capabilities {
  const raw = reply
    .split(/\r?\n/)
    .map((l) => l.replace(/^\d{3}[ -]?/, '').trim())
    .filter((l) => l.length > 0)
    .slice(1);
  const keyword = (k: string) =>
    raw.find((l) => l.toUpperCase() === k || l.toUpperCase().startsWith(`${k} `));
  const sizeLine = keyword('SIZE');
  const sizeValue = sizeLine ? Number(sizeLine.split(/\s+/)[1]) : NaN;
  const authLine = raw.find((l) => /^AUTH[\s=]/i.test(l));
  const authMechanisms = authLine
    ? [
        ...new Set(
          authLine
            .slice(5)
            .split(/[\s=]+/)
            .filter(Boolean)
            .map((m) => m.toUpperCase()),
        ),
      ]
    : [];
  return {
    size: {
      advertised: sizeLine !== undefined,
      limitBytes: Number.isFinite(sizeValue) && sizeValue > 0 ? sizeValue : null,
    },
    pipelining: keyword('PIPELINING') !== undefined,
    eightBitMime: keyword('8BITMIME') !== undefined,
    smtpUtf8: keyword('SMTPUTF8') !== undefined,
    dsn: keyword('DSN') !== undefined,
    starttls: keyword('STARTTLS') !== undefined,
    chunking: keyword('CHUNKING') !== undefined,
    enhancedStatusCodes: keyword('ENHANCEDSTATUSCODES') !== undefined,
    authMechanisms,
    raw,
    encrypted,
  };
}

/** One line for the ehlo step. */
export function capabilitiesDetail(c: Capabilities): string {
  const parts: string[] = [];
  if (c.starttls && !c.encrypted) parts.push('STARTTLS');
  if (c.authMechanisms.length) parts.push(`AUTH ${c.authMechanisms.join(' ')}`);
  if (c.size.advertised) parts.push(c.size.limitBytes ? `SIZE ${formatBytes(c.size.limitBytes)}` : 'SIZE');
  for (const [flag, name] of [
    [c.pipelining, 'PIPELINING'],
    [c.eightBitMime, '8BITMIME'],
    [c.smtpUtf8, 'SMTPUTF8'],
    [c.dsn, 'DSN'],
  ] as const) {
    if (flag) parts.push(name);
  }
  return parts.length ? parts.join(', ') : 'no extensions advertised';
}

/** Plain sentences for the wizard's "what this server offers" box. */
export function capabilitySummary(c: Capabilities): string[] {
  const out: string[] = [];
  if (c.authMechanisms.length) out.push(`Sign-in methods offered: ${c.authMechanisms.join(', ')}.`);
  else
    out.push(
      c.encrypted
        ? 'The server does not offer sign-in (AUTH).'
        : 'The server does not offer sign-in (AUTH) on an unencrypted connection.',
    );
  if (c.size.limitBytes)
    out.push(`Accepts messages up to ${formatBytes(c.size.limitBytes)}, attachments included.`);
  else if (c.size.advertised) out.push('Announces no fixed message size limit.');
  if (c.smtpUtf8) out.push('Accepts international (non-ASCII) email addresses.');
  if (c.eightBitMime) out.push('Accepts 8-bit text without re-encoding.');
  if (c.pipelining) out.push('Supports pipelining (faster sending).');
  if (c.dsn) out.push('Can send delivery status notifications (DSN).');
  return out;
}
