import type { Security } from '../../../shared/domain/smtp-settings';

/** Plain-words help next to each outgoing-server field (what provider setup guides call these). */
export const FIELD_HELP = {
  host: 'The outgoing (SMTP) server is the computer that takes your mail and delivers it. Your provider’s setup guide names it, e.g. smtp.gmail.com.',
  port: '465 uses encryption from the first byte (recommended). 587 starts plain and switches to encryption with STARTTLS. 25 is for server-to-server relay and is often blocked for sending.',
  security:
    'SSL/TLS encrypts the whole connection (port 465). STARTTLS upgrades to encryption before anything private is sent (port 587); Mailroom refuses to continue if the upgrade fails.',
  username: 'Usually your full email address. Some providers use only the part before the @.',
  password:
    'Kept in your system keychain, never in a file. Gmail, iCloud and Yahoo need an app password if you use 2-step verification.',
  auth: 'Servers ask who you are before they send mail for you, so nobody else can send as you.',
} as const;

export const SECURITY_LABELS: Record<Security, string> = {
  tls: 'SSL/TLS (implicit TLS)',
  starttls: 'STARTTLS',
  none: 'None (unencrypted)',
};
