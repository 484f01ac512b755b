import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OAuthStatus } from '../../../shared/domain/oauth';
import {
  clientIdEnvVar,
  findOAuthService,
  oauthServiceForProvider,
  type OAuthEndpoints,
  type OAuthService,
  type OAuthServiceId,
} from '../../../shared/providers';

/** The profile file that holds OAuth client registrations (client IDs are not secrets; tokens never go here). */
export const OAUTH_CLIENTS_FILE = 'oauth-clients.json';

const ClientEntrySchema = z.object({
  clientId: z.string().min(1),
  /** Google's "desktop app" clients come with a secret that is not confidential but must be sent. */
  clientSecret: z.string().min(1).optional(),
  /** Replaces the built-in endpoints (a test server, a tenant-specific Microsoft endpoint). */
  endpoints: z
    .object({
      issuer: z.string().url(),
      authorizationEndpoint: z.string().url(),
      tokenEndpoint: z.string().url(),
      revocationEndpoint: z.string().url().optional(),
    })
    .optional(),
  scopes: z.array(z.string().min(1)).optional(),
});
// A plain object keyed by service; entries for services this Mailroom does not know (a newer Mailroom's
// file, a typo) are skipped rather than making the whole file unusable (z.partialRecord would refuse them).
const ClientsFileSchema = z.looseObject({
  google: ClientEntrySchema.optional(),
  microsoft: ClientEntrySchema.optional(),
  yahoo: ClientEntrySchema.optional(),
  aol: ClientEntrySchema.optional(),
});

/** Everything needed to talk to one authorization server as one registered client. */
export interface OAuthClientConfig extends OAuthEndpoints {
  service: OAuthService;
  clientId: string;
  clientSecret?: string | undefined;
  scopes: readonly string[];
}

export type ClientLookup = { ok: true; config: OAuthClientConfig } | { ok: false; status: OAuthStatus };

/**
 * Where client IDs come from, first match wins: the profile's oauth-clients.json (per install), then
 * MAILROOM_OAUTH_<SERVICE>_CLIENT_ID (and _CLIENT_SECRET) from the environment, which a packaged
 * build can bake in. Read on every sign-in, so editing the file needs no restart.
 */
export class OAuthClientConfigSource {
  constructor(
    private readonly profileDir: string,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  get filePath(): string {
    return join(this.profileDir, OAUTH_CLIENTS_FILE);
  }

  private readFile(): { entries: z.infer<typeof ClientsFileSchema>; problem?: string } {
    let raw: string;
    try {
      raw = readFileSync(this.filePath, 'utf8');
    } catch {
      return { entries: {} };
    }
    try {
      const parsed = ClientsFileSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return { entries: parsed.data };
      const issue = parsed.error.issues[0];
      return { entries: {}, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not valid'}` };
    } catch (error) {
      return { entries: {}, problem: (error as Error).message };
    }
  }

  /** By provider database id ("gmail") or service id ("google"). */
  lookup(providerId: string): ClientLookup {
    const service = findOAuthService(providerId) ?? oauthServiceForProvider(providerId);
    if (!service) {
      return {
        ok: false,
        status: {
          supported: false,
          configured: false,
          problem:
            'Mailroom cannot sign in to this provider with OAuth2 (it knows no authorization server for it).',
          fix: 'Use a password or an app password for this account.',
        },
      };
    }
    const { entries, problem: fileProblem } = this.readFile();
    const entry = entries[service.id];
    const clientId = entry?.clientId ?? this.env[clientIdEnvVar(service.id)];
    const base = { supported: true, service: service.id, serviceName: service.name };
    if (!clientId) {
      // The person at the window cannot register an app or set variables: they get words about
      // their account and the way that works today. How to build a copy with the sign-in in it is
      // for whoever packages Mailroom (packagerHelp, README "Sign-in with OAuth2").
      return {
        ok: false,
        status: {
          ...base,
          configured: false,
          problem: `This copy of Mailroom cannot sign in with ${service.name}: it was built without ${service.name}’s sign-in${fileProblem ? ', and its sign-in settings could not be read' : ''}.`,
          fix: `Use an app password for this account instead, if ${service.name} offers them; or ask whoever gave you this copy of Mailroom for one with “Sign in with ${service.name}”.`,
        },
      };
    }
    const secret =
      entry?.clientSecret ?? this.env[`MAILROOM_OAUTH_${service.id.toUpperCase()}_CLIENT_SECRET`];
    const endpoints: OAuthEndpoints = entry?.endpoints ?? service;
    return {
      ok: true,
      config: {
        service,
        clientId,
        ...(secret ? { clientSecret: secret } : {}),
        issuer: endpoints.issuer,
        authorizationEndpoint: endpoints.authorizationEndpoint,
        tokenEndpoint: endpoints.tokenEndpoint,
        revocationEndpoint: endpoints.revocationEndpoint,
        scopes: entry?.scopes ?? service.scopes,
      },
    };
  }

  status(providerId: string): OAuthStatus {
    const found = this.lookup(providerId);
    if (!found.ok) return found.status;
    return {
      supported: true,
      configured: true,
      service: found.config.service.id,
      serviceName: found.config.service.name,
    };
  }

  /**
   * For whoever builds or runs this copy (command line, logs, never the window): why a service has
   * no client, and where a client ID would be read from.
   */
  packagerHelp(providerId: string): string | undefined {
    const service = findOAuthService(providerId) ?? oauthServiceForProvider(providerId);
    if (!service || this.lookup(providerId).ok) return undefined;
    const { problem } = this.readFile();
    return [
      problem ? `${this.filePath} could not be used: ${problem}.` : undefined,
      `Register a desktop app at ${service.registrationUrl} and put its client ID in ${this.filePath} as {"${service.id}": {"clientId": "…"}}, or set ${clientIdEnvVar(service.id)} (and _CLIENT_SECRET where the service issues one) when the app starts.`,
    ]
      .filter(Boolean)
      .join(' ');
  }

  /** Services whose grants can be refreshed (used when a stored grant names its service). */
  forService(id: OAuthServiceId): ClientLookup {
    return this.lookup(id);
  }
}
