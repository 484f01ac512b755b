import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { AuthMethod, Security } from '../../../shared/domain/smtp-settings';

/**
 * Reads the outgoing part of a Mozilla autoconfig file (config-v1.1.xml), the format of both an
 * ISP's own autoconfig and the Thunderbird ISPDB. Incoming servers are ignored: Mailroom only sends.
 */

export type AutoconfigOutgoingServer = {
  host: string;
  port: number;
  security: Security;
  authMethod: AuthMethod;
  /** The file also lists OAuth2 for this server. */
  oauth2Available: boolean;
  /** Username with the placeholders filled in for this address. */
  username: string;
};

export type AutoconfigFile = {
  providerId?: string;
  displayName?: string;
  /** First https documentation link in the file, if any. */
  documentationUrl?: string;
  /** In the file's order, which is the provider's preference. */
  outgoingServers: AutoconfigOutgoingServer[];
  /** Servers left out, in plain words (unknown socket type, sign-in Mailroom cannot do). */
  skipped: string[];
};

export class AutoconfigParseError extends Error {
  override readonly name = 'AutoconfigParseError';
}

const ARRAY_TAGS = new Set(['outgoingServer', 'authentication', 'domain', 'documentation', 'descr']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: "0587" or "yes" must not turn into numbers or booleans silently.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (tagName) => ARRAY_TAGS.has(tagName),
});

// Text-only elements come back as strings; with attributes they come back as objects with #text.
const Text = z
  .union([z.string(), z.number(), z.object({ '#text': z.union([z.string(), z.number()]).optional() })])
  .transform((v) => (typeof v === 'object' ? String(v['#text'] ?? '').trim() : String(v).trim()));

const OutgoingServerSchema = z.object({
  '@_type': z.string().optional(),
  hostname: Text.optional(),
  port: Text.optional(),
  socketType: Text.optional(),
  authentication: z.array(Text).optional(),
  username: Text.optional(),
});

const DocumentSchema = z.object({
  clientConfig: z.object({
    emailProvider: z.object({
      '@_id': z.string().optional(),
      displayName: Text.optional(),
      outgoingServer: z.array(OutgoingServerSchema).optional(),
      documentation: z.array(z.object({ '@_url': z.string().optional() })).optional(),
    }),
  }),
});

const SOCKET_TYPES: Record<string, Security> = {
  SSL: 'tls',
  TLS: 'tls',
  STARTTLS: 'starttls',
  plain: 'none',
};

// config-v1.1 authentication values. Old names ("plain", "secure") are still found in the wild.
const PASSWORD_AUTH = new Set(['password-cleartext', 'plain', 'password-encrypted', 'secure']);
const NO_AUTH = new Set(['none', 'client-IP-address', 'smtp-after-pop']);

/** Fills in %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% for this address. */
export function fillPlaceholders(template: string, email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return template
    .replaceAll('%EMAILADDRESS%', email)
    .replaceAll('%EMAILLOCALPART%', local)
    .replaceAll('%EMAILDOMAIN%', domain);
}

/**
 * Parses config-v1.1.xml for `email`. Throws AutoconfigParseError (with a message fit for the
 * discovery step's detail line) when the text is not XML or not an autoconfig file.
 */
export function parseAutoconfigXml(xml: string, email: string): AutoconfigFile {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new AutoconfigParseError(
      `The settings file is not valid XML (line ${valid.err.line}: ${valid.err.msg}).`,
    );
  }
  const doc = DocumentSchema.safeParse(parser.parse(xml));
  if (!doc.success) {
    throw new AutoconfigParseError(
      'The file is XML but not a mail settings file (no <clientConfig><emailProvider>).',
    );
  }
  const provider = doc.data.clientConfig.emailProvider;
  const outgoingServers: AutoconfigOutgoingServer[] = [];
  const skipped: string[] = [];

  for (const server of provider.outgoingServer ?? []) {
    const host = server.hostname ? fillPlaceholders(server.hostname, email).toLowerCase() : '';
    const label = host || '(no hostname)';
    if (server['@_type'] !== undefined && server['@_type'] !== 'smtp') {
      skipped.push(`${label}: type "${server['@_type']}" is not SMTP`);
      continue;
    }
    if (!host || /[\s/@]/.test(host)) {
      skipped.push(`${label}: missing or invalid hostname`);
      continue;
    }
    const port = Number(server.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      skipped.push(`${label}: missing or invalid port "${server.port ?? ''}"`);
      continue;
    }
    const security = SOCKET_TYPES[server.socketType ?? ''];
    if (!security) {
      skipped.push(`${label}:${port}: unknown socketType "${server.socketType ?? ''}"`);
      continue;
    }
    const methods = server.authentication ?? ['password-cleartext'];
    const oauth2Available = methods.includes('OAuth2');
    let authMethod: AuthMethod;
    if (methods.some((m) => PASSWORD_AUTH.has(m))) authMethod = 'password';
    else if (oauth2Available) authMethod = 'oauth2';
    else if (methods.some((m) => NO_AUTH.has(m))) authMethod = 'none';
    else {
      skipped.push(`${label}:${port}: needs sign-in Mailroom cannot do (${methods.join(', ')})`);
      continue;
    }
    const username =
      authMethod === 'none' ? '' : fillPlaceholders(server.username ?? '%EMAILADDRESS%', email);
    outgoingServers.push({ host, port, security, authMethod, oauth2Available, username });
  }

  const documentationUrl = (provider.documentation ?? [])
    .map((d) => d['@_url'])
    .find((u): u is string => typeof u === 'string' && u.startsWith('https://'));
  const result: AutoconfigFile = { outgoingServers, skipped };
  if (provider['@_id']) result.providerId = provider['@_id'];
  if (provider.displayName) result.displayName = provider.displayName;
  if (documentationUrl) result.documentationUrl = documentationUrl;
  return result;
}
