import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { simpleParser } from 'mailparser';
import { startDnsmasq, type DnsmasqServer } from '../harness/dnsmasq';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';

// The wizard as a new user meets it: type an address, watch Mailroom find the server (here through a
// real DNS SRV record served by dnsmasq), confirm a server of another domain, meet a self-signed
// certificate, trust it for this account only, check again, save, and send through the pinned server.

const USER = 'grace@corp.test';
const PASSWORD = 'pinned-cert-secret';

let dns: DnsmasqServer;
let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;
let profileDir: string;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({ certificate: certificates.selfSigned, users: { [USER]: PASSWORD } });
  dns = await startDnsmasq({
    localZones: ['test'],
    srv: [{ name: '_submission._tcp.corp.test', target: 'localhost', port: smtp.port }],
  });
  profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-discovery-'));
  // Discovery asks only this dnsmasq; nothing leaves the machine. No test CA: the certificate is untrusted.
  host = await startHostProcess(profileDir, {}, ['--dns-server', `127.0.0.1:${dns.port}`]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
  await dns?.stop();
});

describe('setup wizard with discovery and a self-signed server', () => {
  it('finds the server, explains the certificate, pins it and sends', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();

    // Where the settings came from, and a question before using another domain's server.
    await page.getByText('DNS SRV record').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Server', { exact: true }).inputValue()).toBe('localhost');
    expect(await page.getByLabel('Port').inputValue()).toBe(String(smtp.port));
    expect(await page.getByLabel('Security').inputValue()).toBe('starttls');
    expect(await page.getByLabel('Username').inputValue()).toBe(USER);
    await page.getByRole('button', { name: 'Check settings' }).click();
    await page.getByText(/Confirm that you want to use the servers of/).waitFor();
    await page.getByRole('checkbox', { name: /Use the servers of/ }).check();
    await page.getByRole('button', { name: 'Check settings' }).click();

    // The check stops at the certificate and shows what the user needs to decide.
    const problem = page.getByRole('alert').filter({ hasText: 'These settings did not work' });
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.getAttribute('data-error-code')).toBe('TLS_CERT_UNTRUSTED');
    expect(await page.locator('[data-step="certificate"]').getAttribute('data-status')).toBe('failed');
    const fingerprint = (await page.locator('.certificate-panel .fingerprint').textContent()) ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(smtp.logins).toEqual([]); // no password went to a server we did not trust

    // Trusting the certificate checks again by itself.
    await page.getByRole('button', { name: 'Trust this certificate for this account' }).click();
    await page.getByText('Everything checks out.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Save account' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();

    const config = JSON.parse(readFileSync(join(profileDir, 'config.json'), 'utf8')) as {
      accounts: { smtp: { trustedFingerprint?: string; host: string } }[];
    };
    expect(config.accounts[0]!.smtp).toMatchObject({ host: 'localhost', trustedFingerprint: fingerprint });

    await page.getByLabel('To').fill('ada@example.test');
    await page.getByLabel('Subject').fill('Through a pinned certificate');
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Sent.').waitFor({ timeout: 30_000 });
    expect(smtp.messages).toHaveLength(1);
    expect((await simpleParser(smtp.messages[0]!.raw)).subject).toBe('Through a pinned certificate');
  });
});
