import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OAuthClientConfigSource } from '../../../electron/core/oauth/oauth-client-config';

// Where "Sign in with …" gets its client ID: the profile's oauth-clients.json first, then the
// MAILROOM_OAUTH_<SERVICE>_CLIENT_ID environment. A real file in a temp profile, an explicit env map.

let profileDir: string;
const writeClients = (content: unknown) =>
  writeFileSync(
    join(profileDir, 'oauth-clients.json'),
    typeof content === 'string' ? content : JSON.stringify(content),
  );

beforeEach(() => {
  profileDir = mkdtempSync(join(tmpdir(), 'mailroom-oauth-clients-'));
});
afterEach(() => rmSync(profileDir, { recursive: true, force: true }));

describe('OAuthClientConfigSource', () => {
  it('uses the client ID from oauth-clients.json over the one in the environment', () => {
    writeClients({ google: { clientId: 'from-file', clientSecret: 'file-secret' } });
    const source = new OAuthClientConfigSource(profileDir, {
      MAILROOM_OAUTH_GOOGLE_CLIENT_ID: 'from-env',
      MAILROOM_OAUTH_GOOGLE_CLIENT_SECRET: 'env-secret',
    });
    const found = source.lookup('gmail');
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.config).toMatchObject({ clientId: 'from-file', clientSecret: 'file-secret' });
    expect(found.config.service.id).toBe('google');
    // No endpoints in the file: Google's own, with the one scope Gmail's SMTP accepts.
    expect(found.config.tokenEndpoint).toBe('https://oauth2.googleapis.com/token');
    expect(found.config.scopes).toEqual(['https://mail.google.com/']);
    expect(source.status('gmail')).toMatchObject({
      supported: true,
      configured: true,
      serviceName: 'Google',
    });
  });

  it('falls back to the environment for a service the file does not name, and reads the file anew each time', () => {
    writeClients({ google: { clientId: 'from-file' } });
    const source = new OAuthClientConfigSource(profileDir, { MAILROOM_OAUTH_MICROSOFT_CLIENT_ID: 'ms-env' });
    const microsoft = source.lookup('outlook-com');
    expect(microsoft.ok && microsoft.config.clientId).toBe('ms-env');

    writeClients({ microsoft: { clientId: 'ms-file' } }); // edited while Mailroom runs: no restart needed
    const again = source.lookup('microsoft');
    expect(again.ok && again.config.clientId).toBe('ms-file');
  });

  it('takes endpoints and scopes from the file (a test server or a tenant-specific endpoint)', () => {
    writeClients({
      microsoft: {
        clientId: 'tenant-app',
        endpoints: {
          issuer: 'https://login.microsoftonline.com/contoso/v2.0',
          authorizationEndpoint: 'https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize',
          tokenEndpoint: 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token',
        },
        scopes: ['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid'],
      },
    });
    const found = new OAuthClientConfigSource(profileDir, {}).lookup('microsoft-365');
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.config.tokenEndpoint).toContain('/contoso/');
    expect(found.config.revocationEndpoint).toBeUndefined();
    expect(found.config.scopes).toContain('openid');
  });

  it('tells the packager what is wrong with a file that is not JSON and where a client ID goes; the user sees none of it', () => {
    writeClients('{ "google": { "clientId": "abc", } ');
    const source = new OAuthClientConfigSource(profileDir, {});
    const status = source.status('gmail');
    expect(status).toMatchObject({ supported: true, configured: false, serviceName: 'Google' });
    expect(status.problem).toMatch(/cannot sign in with Google.*could not be read/);
    expect(status.fix).toMatch(/app password/);
    // Developer text (paths, file names, variables, console URLs) is never in what a window shows.
    for (const text of [status.problem, status.fix]) {
      expect(text).not.toMatch(/oauth-clients|MAILROOM_|https?:|\/|\\/);
    }
    const help = source.packagerHelp('gmail') ?? '';
    expect(help).toMatch(/oauth-clients\.json could not be used: .*JSON/);
    expect(help).toContain(join(profileDir, 'oauth-clients.json'));
    expect(help).toContain('MAILROOM_OAUTH_GOOGLE_CLIENT_ID');
    expect(help).toContain('https://console.cloud.google.com/apis/credentials');
  });

  it('names the field for the packager when an entry has the wrong shape', () => {
    writeClients({ google: { clientId: '' } });
    const source = new OAuthClientConfigSource(profileDir, {});
    expect(source.status('google').configured).toBe(false);
    expect(source.packagerHelp('google')).toMatch(
      /oauth-clients\.json could not be used: google\.clientId: /,
    );
  });

  it('ignores entries for services it does not know, and still uses the ones it does', () => {
    writeClients({ fastmail: { clientId: 'unknown-service' }, google: { clientId: 'from-file' } });
    const source = new OAuthClientConfigSource(profileDir, {});
    const found = source.lookup('gmail');
    expect(found.ok && found.config.clientId).toBe('from-file');
    expect(source.status('gmail').problem).toBeUndefined();
  });

  it('says plainly when a provider has no OAuth2 sign-in at all, and offers app passwords instead', () => {
    writeClients({ google: { clientId: 'from-file' } });
    const status = new OAuthClientConfigSource(profileDir, {}).status('icloud');
    expect(status).toMatchObject({ supported: false, configured: false });
    expect(status.fix).toMatch(/app password/);
  });

  it('without any file or environment: not configured, with the service named', () => {
    const status = new OAuthClientConfigSource(profileDir, {}).status('yahoo');
    expect(status).toMatchObject({
      supported: true,
      configured: false,
      service: 'yahoo',
      serviceName: 'Yahoo',
    });
    expect(status.problem).not.toMatch(/could not be read/);
  });
});
