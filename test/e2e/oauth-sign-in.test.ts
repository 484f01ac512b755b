import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuth2Server } from 'oauth2-mock-server';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser } from 'playwright-core';
import { makeTestCertificates } from '../harness/test-certificates';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { filesContaining } from './support/profile-files';

// "Sign in with Google" as a user meets it in the wizard: Gmail is recognised, the sign-in runs in a
// browser tab against an authorization server (oauth2-mock-server standing in for Google through
// the profile's oauth-clients.json), the loopback redirect completes it, and the settings check and
// the send both sign in to the SMTP server with XOAUTH2 over STARTTLS: no password anywhere.

const USER = 'ada.lovelace@gmail.com';

let oauth: OAuth2Server;
let smtp: SMTPServer;
let smtpPort = 0;
const issuedAccessTokens: string[] = [];
const acceptedTokens: string[] = [];
const received: ParsedMail[] = [];
let host: HostProcess;
let browser: Browser;
let profileDir: string;

beforeAll(async () => {
  oauth = new OAuth2Server();
  await oauth.issuer.keys.generate('RS256');
  await oauth.start(0, '127.0.0.1');
  oauth.service.on('beforeResponse', (response: { body: unknown; statusCode: number }) => {
    const body = response.body as Record<string, unknown>;
    if (response.statusCode === 200 && typeof body['access_token'] === 'string')
      issuedAccessTokens.push(body['access_token']);
  });
  const certificates = makeTestCertificates();
  smtp = new SMTPServer({
    key: certificates.localhost.key,
    cert: certificates.localhost.cert,
    authMethods: ['XOAUTH2'],
    logger: false,
    onAuth(auth, session, callback) {
      // Only tokens the authorization server issued, only for this user, only after STARTTLS.
      if (session.secure && auth.username === USER && issuedAccessTokens.includes(auth.accessToken ?? '')) {
        acceptedTokens.push(auth.accessToken!);
        callback(null, { user: USER });
      } else {
        callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
      }
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-oauth-'));
  const issuer = oauth.issuer.url!;
  writeFileSync(
    join(profileDir, 'oauth-clients.json'),
    JSON.stringify({
      google: {
        clientId: 'mailroom-e2e-client',
        endpoints: {
          issuer,
          authorizationEndpoint: `${issuer}/authorize`,
          tokenEndpoint: `${issuer}/token`,
          revocationEndpoint: `${issuer}/revoke`,
        },
      },
    }),
  );
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await oauth?.stop();
});

describe('Sign in with Google in the setup wizard', () => {
  it('signs in through the browser, checks the settings and sends with XOAUTH2', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Email address').fill(USER);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Built in: Gmail').waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: /Sign in with Google/ }).click();
    // The browser host cannot open the system browser: the page offers the link; a user opens it.
    const link = page.getByRole('link', { name: /sign-in page/i });
    await link.waitFor();
    const authorizationUrl = (await link.getAttribute('href')) ?? '';
    expect(authorizationUrl).toContain('code_challenge=');
    expect(authorizationUrl).toContain('state=');
    const tab = await browser.newPage();
    await tab.goto(authorizationUrl);
    await tab.getByText(/close this tab/i).waitFor();
    await page
      .getByText(/Signed in/i)
      .first()
      .waitFor({ timeout: 20_000 });

    // The real Gmail server is not reachable from a test: point the account at the local one.
    await page.getByLabel('Server', { exact: true }).fill('localhost');
    await page.getByLabel('Security').selectOption('starttls');
    await page.getByLabel('Port').fill(String(smtpPort));
    await page.getByRole('button', { name: 'Check settings' }).click();
    await page.getByText('Everything checks out.').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-step="auth"] .step-detail').textContent()).toMatch(/XOAUTH2/);
    await page.getByRole('button', { name: 'Save account' }).click();

    await page.getByLabel('To').fill('charles@example.test');
    await page.getByLabel('To').press('Enter');
    await page.getByLabel('Subject').fill('Signed in with OAuth');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Sent.').waitFor({ timeout: 30_000 });
    expect(received.map((m) => m.subject)).toEqual(['Signed in with OAuth']);
    expect(acceptedTokens.length).toBeGreaterThanOrEqual(2); // the check and the send

    const config = JSON.parse(readFileSync(join(profileDir, 'config.json'), 'utf8')) as {
      accounts: { smtp: { authMethod: string } }[];
    };
    expect(config.accounts[0]!.smtp.authMethod).toBe('oauth2');
    for (const token of issuedAccessTokens) expect(filesContaining(profileDir, token)).toEqual([]);
    expect(issuedAccessTokens.some((t) => host.output().includes(t))).toBe(false);
  });
});
