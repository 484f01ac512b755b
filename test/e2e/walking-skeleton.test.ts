import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import keytar from 'keytar';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Browser } from 'playwright-core';
import { KEYCHAIN_SERVICE } from '../../electron/core/credentials/keytar-secret-store';
import { makeTestCertificates } from '../harness/test-certificates';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { filesContaining } from './support/profile-files';
import { enterAccountManually } from './support/setup-wizard-steps';

// The whole path a new user takes: the real renderer in Chromium, through the browser host, to the real
// core, a real SMTP server with STARTTLS + AUTH, and the password in a real Secret Service.

const USER = 'ada@example.test';
const PASSWORD = 'Tr0ub4dor&3-e2e-secret';

let server: SMTPServer;
let port = 0;
const received: ParsedMail[] = [];
const authOverTls: boolean[] = [];
let host: HostProcess;
let browser: Browser;
let profileDir: string;
let caPath: string;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  caPath = certificates.caFile;
  const cert = { keyPem: certificates.localhost.key, certPem: certificates.localhost.cert };
  server = new SMTPServer({
    key: cert.keyPem,
    cert: cert.certPem,
    authMethods: ['PLAIN', 'LOGIN'],
    // The password may only cross after STARTTLS, as on real submission servers.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, session, callback) {
      authOverTls.push(session.secure);
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(Object.assign(new Error('Invalid login'), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;

  profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-profile-'));
  // Our test CA stands in for a public one; verification stays on, as for any user.
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: caPath });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('walking skeleton: set up an account and send a message', () => {
  it('sends through STARTTLS + AUTH with the password held in the keychain', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);

    await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
    // The per-run token does not stay in the address bar.
    expect(page.url()).not.toContain('token=');

    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Enter server settings manually' }).click();
    await page.getByLabel('Server', { exact: true }).fill('localhost');
    await page.getByLabel('Security').selectOption('starttls');
    expect(await page.getByLabel('Port').inputValue()).toBe('587');
    await page.getByLabel('Port').fill(String(port));
    expect(await page.getByLabel('Username').inputValue()).toBe(USER);
    await page.getByRole('button', { name: 'Check settings' }).click();
    await page.getByText('Everything checks out.').waitFor({ timeout: 30_000 });
    // The live steps ended with a passed sign-in, over STARTTLS.
    expect(await page.locator('[data-step="starttls"]').getAttribute('data-status')).toBe('passed');
    expect(await page.locator('[data-step="auth"]').getAttribute('data-status')).toBe('passed');
    await page.getByRole('button', { name: 'Save account' }).click();

    await page.getByRole('heading', { name: 'New message' }).waitFor();
    // Saving says so where the user lands, and how to prove the account sends.
    const saved = page.getByRole('status').filter({ hasText: 'is set up' });
    await saved.waitFor();
    expect(await saved.textContent()).toMatch(/Send a test message/);
    await page.getByLabel('To').fill('"Babbage, Charles" <charles@example.test>');
    await page.getByLabel('Subject').fill('Notes on the Analytical Engine');
    await page.getByRole('textbox', { name: 'Message' }).fill('The engine weaves algebraic patterns.\nAda');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Sent.').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('status').filter({ hasText: 'Sent.' }).textContent()).toMatch(/250/);

    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from?.value).toEqual([{ name: 'Ada Lovelace', address: USER }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([
      'charles@example.test',
    ]);
    expect(mail.subject).toBe('Notes on the Analytical Engine');
    expect(mail.text?.trim()).toBe('The engine weaves algebraic patterns.\nAda');
    // The check and the send each signed in, and never before STARTTLS.
    expect(authOverTls).toEqual([true, true]);

    // The password is in the Secret Service under the account's id, and in no file of the profile.
    const config = JSON.parse(readFileSync(join(profileDir, 'config.json'), 'utf8')) as {
      accounts: { id: string }[];
    };
    const accountId = config.accounts[0]!.id;
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, accountId)).toBe(PASSWORD);
    expect(readdirSync(profileDir).length).toBeGreaterThan(0);
    expect(filesContaining(profileDir, PASSWORD)).toEqual([]);
    expect(host.output()).not.toContain(PASSWORD);
    expect(pageErrors).toEqual([]);

    await keytar.deletePassword(KEYCHAIN_SERVICE, accountId);
  });

  it('shows what went wrong and what to do when the server refuses the password', async () => {
    const page = await browser.newPage();
    const fresh = mkdtempSync(join(tmpdir(), 'mailroom-e2e-profile-'));
    const other = await startHostProcess(fresh, { NODE_EXTRA_CA_CERTS: caPath });
    try {
      await page.goto(other.url);
      expect(
        await enterAccountManually(page, {
          name: 'Ada Lovelace',
          email: USER,
          password: 'wrong password',
          host: 'localhost',
          port,
          security: 'starttls',
        }),
      ).toBe('failed');
      // The check names the problem and the fix, and saving now needs an explicit choice.
      const checkAlert = page.getByRole('alert').filter({ hasText: 'These settings did not work' });
      await checkAlert.waitFor({ timeout: 30_000 });
      expect(await checkAlert.getAttribute('data-error-code'), host.output()).toBe('AUTH_FAILED');
      expect(await page.getByRole('button', { name: 'Save without a working check' }).count()).toBe(0);
      await page.getByLabel('Save these settings even though the check failed').check();
      await page.getByRole('button', { name: 'Save without a working check' }).click();
      await page.getByLabel('To').fill('charles@example.test');
      await page.getByLabel('Subject').fill('Hello');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.getAttribute('data-error-code')).toBe('AUTH_FAILED');
      const text = (await alert.textContent()) ?? '';
      expect(text).toMatch(/password/i);
      expect(text).not.toContain('wrong password');
      // The account stays; the message is not marked as sent.
      expect(await page.getByText('Sent.').count()).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
