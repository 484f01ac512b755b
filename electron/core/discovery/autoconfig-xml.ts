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

/** A server as the file states it, placeholders (%EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%) kept. */
export type AutoconfigServerTemplate = Omit<AutoconfigOutgoingServer, 'username'> & {
  /** '' when the server takes no sign-in. */
  usernameTemplate: string;
};

/** Steps the provider says the user must take first (e.g. allow IMAP/SMTP access in the web settings). */
export type AutoconfigEnable = {
  url?: string;
  instructions: { lang?: string; text: string }[];
};

/** The whole file with its placeholders kept: what the built-in ISPDB snapshot is generated from. */
export type AutoconfigTemplate = {
  providerId?: string;
  displayName?: string;
  domains: string[];
  documentationUrl?: string;
  enable?: AutoconfigEnable;
  outgoingServers: AutoconfigServerTemplate[];
  skipped: string[];
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

const ARRAY_TAGS = new Set([
  'outgoingServer',
  'authentication',
  'domain',
  'documentation',
  'descr',
  'instruction',
]);

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

const InstructionSchema = z.union([
  z.string().transform((text) => ({ text: text.trim() })),
  z
    .object({ '#text': z.union([z.string(), z.number()]).optional(), '@_lang': z.string().optional() })
    .transform((v) => ({
      text: String(v['#text'] ?? '').trim(),
      ...(v['@_lang'] ? { lang: v['@_lang'] } : {}),
    })),
]);

const DocumentSchema = z.object({
  clientConfig: z.object({
    emailProvider: z.object({
      '@_id': z.string().optional(),
      domain: z.array(Text).optional(),
      displayName: Text.optional(),
      outgoingServer: z.array(OutgoingServerSchema).optional(),
      documentation: z.array(z.object({ '@_url': z.string().optional() })).optional(),
      enable: z
        .object({ '@_visiturl': z.string().optional(), instruction: z.array(InstructionSchema).optional() })
        .optional(),
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
 * Parses config-v1.1.xml, keeping its placeholders. Throws AutoconfigParseError (with a message fit
 * for the discovery step's detail line) when the text is not XML or not an autoconfig file.
 */
export function parseAutoconfigTemplate(xml: string): AutoconfigTemplate {
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
  const outgoingServers: AutoconfigServerTemplate[] = [];
  const skipped: string[] = [];

  for (const server of provider.outgoingServer ?? []) {
    // Host names may hold %EMAILDOMAIN%; they are checked as they will be for an address.
    const host = (server.hostname ?? '').replace(/%EMAILDOMAIN%/gi, '%EMAILDOMAIN%');
    const label = host || '(no hostname)';
    if (server['@_type'] !== undefined && server['@_type'] !== 'smtp') {
      skipped.push(`${label}: type "${server['@_type']}" is not SMTP`);
      continue;
    }
    if (!host || /[\s/@]/.test(host.replaceAll('%EMAILDOMAIN%', 'example.com'))) {
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
    // A few ISPDB files drop the closing % of %EMAILADDRESS%; read them as meant.
    const usernameTemplate =
      authMethod === 'none'
        ? ''
        : (server.username ?? '%EMAILADDRESS%').replace(/%EMAILADDRESS(?!%)/g, '%EMAILADDRESS%');
    outgoingServers.push({ host, port, security, authMethod, oauth2Available, usernameTemplate });
  }

  const documentationUrl = (provider.documentation ?? [])
    .map((d) => d['@_url'])
    .find((u): u is string => typeof u === 'string' && u.startsWith('https://'));
  const result: AutoconfigTemplate = {
    domains: (provider.domain ?? []).map((d) => d.toLowerCase()).filter(Boolean),
    outgoingServers,
    skipped,
  };
  if (provider['@_id']) result.providerId = provider['@_id'];
  if (provider.displayName) result.displayName = provider.displayName;
  if (documentationUrl) result.documentationUrl = documentationUrl;
  const instructions = (provider.enable?.instruction ?? []).filter((i) => i.text);
  if (provider.enable && (instructions.length || provider.enable['@_visiturl'])) {
    const url = provider.enable['@_visiturl'];
    result.enable = { instructions, ...(url?.startsWith('https://') ? { url } : {}) };
  }
  return result;
}

/** A template filled in for one address: the servers as this user would use them. */
export function fillAutoconfigTemplate(template: AutoconfigTemplate, email: string): AutoconfigFile {
  const result: AutoconfigFile = {
    outgoingServers: template.outgoingServers.map(({ usernameTemplate, ...server }) => ({
      ...server,
      host: fillPlaceholders(server.host, email).toLowerCase(),
      username: usernameTemplate ? fillPlaceholders(usernameTemplate, email) : '',
    })),
    skipped: template.skipped,
  };
  if (template.providerId) result.providerId = template.providerId;
  if (template.displayName) result.displayName = template.displayName;
  if (template.documentationUrl) result.documentationUrl = template.documentationUrl;
  return result;
}

/**
 * Parses config-v1.1.xml for `email`. Throws AutoconfigParseError (with a message fit for the
 * discovery step's detail line) when the text is not XML or not an autoconfig file.
 */
export function parseAutoconfigXml(xml: string, email: string): AutoconfigFile {
  return fillAutoconfigTemplate(parseAutoconfigTemplate(xml), email);
}
