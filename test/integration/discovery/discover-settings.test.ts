import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSettings, type DiscoverOptions } from '../../../electron/core/discovery';
import type { DiscoveryProgress, DiscoveryResult } from '../../../shared/domain/discovery';
import { ISPDB_HOST, startPeers, type Peers } from './discovery-peers';

const xml = (servers: string, name = 'Test Provider'): string => `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="provider.test">
  <domain>provider.test</domain><displayName>${name}</displayName>
  ${servers}
  <documentation url="https://help.provider.test/smtp"><descr lang="en">How to set up</descr></documentation>
</emailProvider></clientConfig>`;

const smtpServer = (host: string, port: number, socketType: string, username = '%EMAILADDRESS%'): string =>
  `<outgoingServer type="smtp"><hostname>${host}</hostname><port>${port}</port><socketType>${socketType}</socketType>
   <authentication>password-cleartext</authentication><username>${username}</username></outgoingServer>`;

const A = (...names: string[]) => names.map((name) => ({ name, address: '127.0.0.1' }));

let peers: Peers;

beforeAll(async () => {
  peers = await startPeers({
    records: {
      localZones: ['test'],
      a: A(
        ISPDB_HOST,
        'autoconfig.isp.test',
        'wellknown.test',
        'autoconfig.redirect.test',
        'autoconfig.elsewhere.test',
        'smtp.guess.test',
        'smtp.stranger.test',
        'autoconfig.silent.test',
        'silent.test',
        'smtp.silent.test',
        'mail.silent.test',
      ),
      srv: [
        { name: '_submission._tcp.srv.test', target: 'submit.srv.test', port: 587, priority: 0 },
        { name: '_submissions._tcp.srv.test', target: 'submit.srv.test', port: 465, priority: 0 },
      ],
      mx: [
        { name: 'workspace.test', exchange: 'aspmx.l.google.com', priority: 1 },
        { name: 'workspace.test', exchange: 'alt1.aspmx.l.google.com', priority: 5 },
        { name: 'contoso.test', exchange: 'contoso-test.mail.protection.outlook.com', priority: 0 },
        { name: 'hosted.test', exchange: 'mx1.bighost.test', priority: 10 },
        { name: 'isp.test', exchange: 'mx.isp.test', priority: 10 },
      ],
    },
    httpsNames: [
      ISPDB_HOST,
      'autoconfig.isp.test',
      'wellknown.test',
      'autoconfig.redirect.test',
      'autoconfig.elsewhere.test',
      'autoconfig.silent.test',
      'silent.test',
    ],
    routes: {
      'autoconfig.isp.test/mail/config-v1.1.xml': {
        status: 200,
        body: xml(
          smtpServer('smtp.isp.test', 25, 'plain') +
            smtpServer('smtp.isp.test', 465, 'SSL', '%EMAILLOCALPART%'),
        ),
      },
      'wellknown.test/.well-known/autoconfig/mail/config-v1.1.xml': {
        status: 200,
        body: xml(smtpServer('out.wellknown.test', 587, 'STARTTLS')),
      },
      'autoconfig.redirect.test/mail/config-v1.1.xml': {
        status: 302,
        headers: { location: 'https://autoconfig.elsewhere.test/mail/config-v1.1.xml' },
      },
      'autoconfig.elsewhere.test/mail/config-v1.1.xml': {
        status: 200,
        body: xml(smtpServer('smtp.elsewhere.test', 465, 'SSL'), 'Elsewhere'),
      },
      [`${ISPDB_HOST}/v1.1/listed.test`]: {
        status: 200,
        body: xml(smtpServer('smtp.listed-host.test', 587, 'STARTTLS'), 'Listed Mail'),
      },
      [`${ISPDB_HOST}/v1.1/bighost.test`]: {
        status: 200,
        body: xml(smtpServer('smtp.bighost.test', 465, 'SSL'), 'Big Host'),
      },
      'autoconfig.silent.test/mail/config-v1.1.xml': 'hang',
      'silent.test/.well-known/autoconfig/mail/config-v1.1.xml': 'hang',
      [`${ISPDB_HOST}/v1.1/silent.test`]: 'hang',
    },
    smtp: {
      'smtp.guess.test:465': 'implicit-tls',
      'smtp.guess.test:587': 'starttls',
      'smtp.stranger.test:465': 'implicit-tls-untrusted',
      'smtp.silent.test:465': 'black-hole',
      'smtp.silent.test:587': 'black-hole',
      'mail.silent.test:465': 'black-hole',
      'mail.silent.test:587': 'black-hole',
    },
  });
});

afterAll(async () => {
  await peers?.stop();
});

async function discover(
  email: string,
  extra: DiscoverOptions = {},
): Promise<{ result: DiscoveryResult; events: DiscoveryProgress[] }> {
  const events: DiscoveryProgress[] = [];
  const outcome = await discoverSettings(
    { email, requestId: 'req-1' },
    { dependencies: peers.dependencies(), onProgress: (e) => events.push(e), ...extra },
  );
  if (!outcome.ok) throw new Error(`discovery failed: ${outcome.error.code} ${outcome.error.message}`);
  return { result: outcome.value, events };
}

describe('discovery against real local peers', () => {
  it('answers a known provider from the built-in list at once, with notes and the help link', async () => {
    const { result, events } = await discover('someone@googlemail.com');
    expect(result).toMatchObject({
      found: true,
      sourceKind: 'built-in',
      source: 'Built in: Gmail',
      settings: {
        host: 'smtp.gmail.com',
        port: 465,
        security: 'tls',
        username: 'someone@googlemail.com',
        authMethod: 'password',
      },
      authKind: 'app-password-required',
      oauth2Available: true,
      instructionsUrl: 'https://support.google.com/mail/answer/7126229',
    });
    expect(result.notes.join(' ')).toMatch(/app password/);
    expect(result.thirdParty).toBeUndefined();
    expect(result.steps.filter((s) => s.step !== 'built-in').every((s) => s.status === 'skipped')).toBe(true);
    expect(events.every((e) => e.requestId === 'req-1')).toBe(true);
  });

  it('uses the domain’s own autoconfig file, preferring encrypted submission and filling the username', async () => {
    const { result } = await discover('ann@isp.test');
    expect(result).toMatchObject({
      found: true,
      sourceKind: 'isp-autoconfig',
      source: 'Published by isp.test',
      settings: { host: 'smtp.isp.test', port: 465, security: 'tls', username: 'ann' },
      instructionsUrl: 'https://help.provider.test/smtp',
    });
    expect(result.thirdParty).toBeUndefined();
    // The plaintext port-25 entry is still offered, but only as an alternative, with a warning.
    const plain = result.alternatives.find((a) => a.settings.port === 25);
    expect(plain?.notes.join(' ')).toMatch(/no encryption/);
    expect(peers.https.requests).toContain(
      'autoconfig.isp.test/mail/config-v1.1.xml?emailaddress=ann%40isp.test',
    );
  });

  it('falls back to the .well-known file on the domain’s website', async () => {
    const { result } = await discover('bo@wellknown.test');
    expect(result).toMatchObject({
      sourceKind: 'isp-autoconfig',
      source: 'Published by wellknown.test',
      settings: {
        host: 'out.wellknown.test',
        port: 587,
        security: 'starttls',
        username: 'bo@wellknown.test',
      },
    });
  });

  it('asks the user before using settings an autoconfig redirect sent to another domain', async () => {
    const { result } = await discover('cy@redirect.test');
    expect(result.settings).toMatchObject({ host: 'smtp.elsewhere.test', port: 465, security: 'tls' });
    expect(result.thirdParty?.domain).toBe('elsewhere.test');
    expect(result.thirdParty?.reason).toMatch(/redirect\.test.*elsewhere/);
  });

  it('reads RFC 6186 SRV records, implicit TLS first', async () => {
    const { result } = await discover('di@srv.test');
    expect(result).toMatchObject({
      sourceKind: 'dns-srv',
      source: 'DNS SRV record',
      settings: { host: 'submit.srv.test', port: 465, security: 'tls', username: 'di@srv.test' },
    });
    expect(result.alternatives.map((a) => [a.settings.port, a.settings.security])).toContainEqual([
      587,
      'starttls',
    ]);
  });

  it('finds the domain in the Thunderbird ISPDB', async () => {
    const { result } = await discover('ed@listed.test');
    expect(result).toMatchObject({
      sourceKind: 'ispdb',
      settings: { host: 'smtp.listed-host.test', port: 587, security: 'starttls' },
      provider: { name: 'Listed Mail' },
    });
    expect(result.source).toMatch(/Thunderbird/);
  });

  it('maps an MX at Google to Google Workspace and asks before using another company’s servers', async () => {
    const { result } = await discover('fay@workspace.test');
    expect(result).toMatchObject({
      found: true,
      sourceKind: 'mx-built-in',
      provider: { id: 'google-workspace', name: 'Google Workspace' },
      settings: { host: 'smtp.gmail.com', port: 465, security: 'tls', username: 'fay@workspace.test' },
      thirdParty: { domain: 'google.com' },
    });
    expect(result.thirdParty?.reason).toMatch(/workspace\.test.*Google Workspace/);
  });

  it('maps an MX at *.mail.protection.outlook.com to Microsoft 365 (OAuth2)', async () => {
    const { result } = await discover('gus@contoso.test');
    expect(result).toMatchObject({
      provider: { id: 'microsoft-365' },
      authKind: 'oauth2',
      settings: { host: 'smtp.office365.com', authMethod: 'oauth2' },
    });
    expect(result.thirdParty?.domain).toBe('outlook.com');
  });

  it('looks up the MX host’s domain in the ISPDB for hosters Mailroom does not know', async () => {
    const { result } = await discover('hal@hosted.test');
    expect(result).toMatchObject({
      sourceKind: 'mx-ispdb',
      settings: { host: 'smtp.bighost.test', port: 465, security: 'tls' },
      thirdParty: { domain: 'bighost.test' },
    });
  });

  it('guesses smtp.<domain> and keeps only servers that answered a real EHLO over TLS', async () => {
    const { result, events } = await discover('ivy@guess.test');
    expect(result).toMatchObject({
      found: true,
      sourceKind: 'guess',
      source: 'Guessed and verified',
      settings: { host: 'smtp.guess.test', port: 465, security: 'tls', username: 'ivy@guess.test' },
    });
    expect(result.alternatives[0]?.settings).toMatchObject({
      host: 'smtp.guess.test',
      port: 587,
      security: 'starttls',
    });
    expect(result.alternatives.every((a) => a.probed)).toBe(true);
    expect(peers.probed).toEqual(expect.arrayContaining(['smtp.guess.test:465', 'smtp.guess.test:587']));
    // Progress: every step reported running, then an outcome.
    for (const step of ['autoconfig', 'well-known', 'srv', 'ispdb', 'mx', 'guess']) {
      const statuses = events.filter((e) => e.step === step).map((e) => e.status);
      expect(statuses[0], step).toBe('running');
      expect(statuses.at(-1), step).not.toBe('running');
    }
    expect(events.find((e) => e.step === 'guess' && e.status === 'found')?.detail).toMatch(
      /smtp\.guess\.test:465/,
    );
  });

  it('does not offer a guessed server whose certificate is not trusted', async () => {
    const { result } = await discover('max@stranger.test');
    expect(result.found).toBe(false);
    expect(peers.probed).toContain('smtp.stranger.test:465');
    expect(result.steps.find((s) => s.step === 'guess')?.detail).toMatch(
      /smtp\.stranger\.test:465: certificate not trusted/,
    );
  });

  it('ends with "not found" and a way forward when the domain has nothing at all', async () => {
    const { result } = await discover('jo@nothing.test');
    expect(result.found).toBe(false);
    expect(result.settings).toBeUndefined();
    expect(result.problem?.code).toBe('DISCOVERY_NOT_FOUND');
    expect(result.problem?.message).toMatch(/nothing\.test/);
    expect(result.problem?.hint).toMatch(/by hand/);
    expect(result.steps.find((s) => s.step === 'guess')?.detail).toMatch(/no such server/);
  });

  it('stops at the deadline when servers accept connections but never answer', async () => {
    const started = Date.now();
    const { result } = await discover('kim@silent.test', { deadlineMs: 2_500 });
    const elapsed = Date.now() - started;
    expect(result.found).toBe(false);
    expect(result.problem?.code).toBe('DISCOVERY_TIMEOUT');
    expect(result.problem?.hint).toMatch(/by hand/);
    expect(result.steps.find((s) => s.step === 'autoconfig')?.detail).toMatch(/No answer within/);
    expect(elapsed).toBeLessThan(2_500 + 2_000);
  });

  it('can be cancelled, and says so', async () => {
    const controller = new AbortController();
    const pending = discoverSettings(
      { email: 'lu@silent.test' },
      { dependencies: peers.dependencies(), signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 200);
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('CANCELLED');
  });

  it('refuses something that is not an email address', async () => {
    const outcome = await discoverSettings(
      { email: 'not-an-address' },
      { dependencies: peers.dependencies() },
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('INVALID_REQUEST');
      expect(outcome.error.hint).toMatch(/name@example\.com/);
    }
  });
});
