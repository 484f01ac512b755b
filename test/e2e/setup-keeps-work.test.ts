import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { simpleParser } from 'mailparser';
import { startDnsmasq, type DnsmasqServer } from '../harness/dnsmasq';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';

// The setup wizard as a new user walks it against real servers: a wrong password, a self-signed
// certificate, Back and Continue, a changed address, a silent DNS server, a server that never
// greets, a provider whose sign-in this copy was built without, and at the end a test message that
// really reaches the server. Nothing the user typed is lost, and every wait says what it waits for.

const USER = 'grace@corp.test';
const PASSWORD = 'pinned-cert-secret';
const SHOTS = join(process.cwd(), 'test-results', 'screenshots');

let dns: DnsmasqServer;
let smtp: TestSmtpServer;
let implicitTls: TestSmtpServer;
let silentUdp: Socket;
let silentTcp: Server;
let host: HostProcess;
let quietHost: HostProcess;
let browser: Browser;
let profileDir: string;

/** A DNS server that takes every query and never answers (UDP and TCP on one loopback port). */
async function startSilentDns(): Promise<number> {
  silentUdp = createSocket('udp4');
  await new Promise<void>((resolve) => silentUdp.bind(0, '127.0.0.1', () => resolve()));
  const port = silentUdp.address().port;
  silentTcp = createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve, reject) => {
    silentTcp.once('error', reject);
    silentTcp.listen(port, '127.0.0.1', () => resolve());
  });
  return port;
}

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({
    certificate: certificates.selfSigned,
    users: { [USER]: PASSWORD },
    queueIds: true,
  });
  implicitTls = await startSmtpServer({ secure: true, certificate: certificates.localhost });
  dns = await startDnsmasq({
    localZones: ['test'],
    srv: [{ name: '_submission._tcp.corp.test', target: 'localhost', port: smtp.port }],
  });
  profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-keeps-work-'));
  // No OAuth client anywhere: neither a file in the profile nor the environment.
  const noOAuth = { MAILROOM_OAUTH_GOOGLE_CLIENT_ID: '', MAILROOM_OAUTH_MICROSOFT_CLIENT_ID: '' };
  host = await startHostProcess(profileDir, noOAuth, ['--dns-server', `127.0.0.1:${dns.port}`]);
  const silentPort = await startSilentDns();
  quietHost = await startHostProcess(mkdtempSync(join(tmpdir(), 'mailroom-e2e-quiet-dns-')), noOAuth, [
    '--dns-server',
    `127.0.0.1:${silentPort}`,
  ]);
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await quietHost?.stop();
  await smtp?.stop();
  await implicitTls?.stop();
  await dns?.stop();
  silentUdp?.close();
  await new Promise((resolve) => (silentTcp ? silentTcp.close(resolve) : resolve(undefined)));
});

/** Light and dark, at the two window sizes the README names. */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [800, 600],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: join(SHOTS, `${name}-${width}x${height}-${scheme}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

const dnsQueries = () =>
  readFileSync(dns.logFile, 'utf8')
    .split('\n')
    .filter((l) => / query\[/.test(l)).length;

describe('the setup wizard keeps the user’s work and ends with proof', () => {
  it('keeps edits and trust over Back/Continue, fixes the password where it is reported, and sends a test message', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('DNS SRV record').waitFor({ timeout: 20_000 });
    const username = page.getByLabel('Username');
    expect(await username.inputValue()).toBe(USER);

    // The username follows the address until the user types their own.
    await page.getByLabel('Email address').fill('g.hopper@corp.test');
    expect(await username.inputValue()).toBe('g.hopper@corp.test');
    await page.getByLabel('Email address').fill(USER);
    expect(await username.inputValue()).toBe(USER);

    // The list of what discovery tried stays, with each outcome.
    await page.getByText('What Mailroom tried for corp.test').click();
    expect(await page.locator('.discovery-steps [data-step="srv"]').getAttribute('data-status')).toBe(
      'found',
    );
    expect(await page.locator('.discovery-steps [data-step="built-in"]').getAttribute('data-status')).toBe(
      'nothing',
    );

    await page.getByRole('checkbox', { name: /Use the servers of/ }).check();
    await page.getByRole('button', { name: 'Check settings' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'These settings did not work' });
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.getAttribute('data-error-code')).toBe('TLS_CERT_UNTRUSTED');
    // Certificate dates in the user's locale, with the day (Chromium's default locale: en-US).
    const valid = (await page.locator('.certificate-details dd').nth(3).textContent()) ?? '';
    expect(valid).toMatch(/^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \w+ \d{1,2}, \d{4} to \w+day, /);

    // Trusting the certificate checks again by itself: now the wrong password is what fails.
    await page.getByRole('button', { name: 'Trust this certificate for this account' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'These settings did not work' })
      .and(page.locator('[data-error-code="AUTH_FAILED"]'))
      .waitFor({ timeout: 30_000 });
    await screenshots(page, 'setup-wrong-password');

    // Back, edit, Continue: no new lookup, every field and the trust kept.
    await username.fill('grace');
    const queriesBefore = dnsQueries();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Outgoing server (SMTP)' }).waitFor();
    expect(dnsQueries()).toBe(queriesBefore);
    expect(await page.getByText('Looking up the settings').count()).toBe(0);
    expect(await page.getByLabel('Server', { exact: true }).inputValue()).toBe('localhost');
    expect(await page.getByLabel('Port').inputValue()).toBe(String(smtp.port));
    expect(await page.getByLabel('Security').inputValue()).toBe('starttls');
    expect(await username.inputValue()).toBe('grace');
    await page.getByText(/Trusting the certificate with SHA-256 fingerprint/).waitFor();
    // The failed check was about other values (the username changed): its result is gone.
    expect(await page.locator('[data-error-code="AUTH_FAILED"]').count()).toBe(0);

    // The password is fixed on the same screen; the stale "did not work" goes with the change.
    await username.fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Check settings' }).click();
    await page.getByText('Everything checks out.').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-discovery="not-found"]').count()).toBe(0);
    await page.getByText(/Saving keeps these settings for sending/).waitFor();

    // Save, and prove it: the test message goes through the outbox to the real server.
    await page.getByRole('button', { name: 'Save and send a test message' }).click();
    await page.getByRole('heading', { name: 'Account saved' }).waitFor();
    await page.getByText(/is saved\./).waitFor();
    const sent = page.locator('[data-test-message="sent"]');
    await sent.waitFor({ timeout: 30_000 });
    expect(smtp.messages).toHaveLength(1);
    const received = smtp.messages[0]!;
    const parsed = await simpleParser(received.raw);
    expect(parsed.from?.value[0]).toMatchObject({ address: USER, name: 'Grace Hopper' });
    expect(received.to).toEqual([USER]);
    expect(parsed.subject).toBe('Mailroom test message');
    expect(received.queueId).toBeTruthy();
    expect(await sent.locator('.queue-id').textContent()).toBe(received.queueId);
    expect(await sent.locator('.server-reply').textContent()).toContain(`queued as ${received.queueId}`);
    await screenshots(page, 'setup-saved-test-message');

    await page.getByRole('button', { name: 'Write a message' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();

    // From Accounts at any time, to an address the user types.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: `Send a test message from ${USER}` }).click();
    await page.getByLabel('Send the test to').fill('ada@example.test');
    await page.getByRole('button', { name: 'Send a test message', exact: true }).click();
    await page.locator('[data-test-message="sent"]').waitFor({ timeout: 30_000 });
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.to).toEqual(['ada@example.test']);
    expect(await page.locator('[data-test-message="sent"] .queue-id').textContent()).toBe(
      smtp.messages[1]!.queueId,
    );
  });

  it('says the DNS server did not answer, keeps the list of what was tried, and counts the wait down', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(quietHost.url);
    await page.getByLabel('Your name').fill('Kim');
    await page.getByLabel('Email address').fill('kim@quiet.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(/Waiting for answers from the places below: at most \d+ s more/).waitFor();
    const banner = page.locator('[data-discovery="not-found"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/the DNS server did not answer/);
    expect(await banner.textContent()).not.toMatch(/publishes none/);
    const srv = page.locator('.discovery-steps [data-step="srv"]');
    expect(await srv.getAttribute('data-status')).toBe('failed');
    expect(await srv.textContent()).toMatch(/DNS server did not answer/);
    expect(await page.locator('.discovery-steps li').count()).toBe(7);
    await screenshots(page, 'setup-discovery-timeout');
  });

  it('counts down a wait for a server that never greets, and Stop stops it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(quietHost.url);
    await page.getByLabel('Your name').fill('Lin');
    await page.getByLabel('Email address').fill('lin@example.test');
    await page.getByRole('button', { name: 'Enter server settings manually' }).click();
    await page.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    // STARTTLS against an implicit-TLS port: the client waits for a greeting that never comes.
    await page.getByLabel('Security').selectOption('starttls');
    await page.getByLabel('Port').fill(String(implicitTls.port));
    await page.getByRole('button', { name: 'Check settings' }).click();
    const countdown = page.locator('[data-step="greeting"] [data-countdown]');
    await countdown.waitFor({ timeout: 5_000 });
    expect(await countdown.textContent()).toMatch(
      /Waiting for the server: Server greeting\. Gives up in 1[0-4] s/,
    );
    const stoppedAt = Date.now();
    await page.getByRole('button', { name: 'Stop checking' }).click();
    await page.getByRole('button', { name: 'Check again' }).waitFor({ timeout: 5_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
  });

  it('without an OAuth client shows no developer text and offers the app password with the provider’s steps', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(quietHost.url);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Email address').fill('ada@gmail.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Built in: Gmail').waitFor({ timeout: 20_000 });
    const section = page.locator('[data-oauth="not-configured"]');
    await section.waitFor();
    await page.getByRole('heading', { name: 'Use an app password for Gmail' }).waitFor();
    expect(await section.textContent()).toMatch(/Google Account > Security > App passwords/);
    const text = (await page.locator('body').innerText()) ?? '';
    expect(text).not.toMatch(/oauth-clients|MAILROOM_|console\.cloud|\.json|client ID|https?:\/\//i);
    expect(await page.getByRole('button', { name: /Sign in with Google/ }).count()).toBe(0);
    await screenshots(page, 'setup-no-oauth-client');
  });
});
