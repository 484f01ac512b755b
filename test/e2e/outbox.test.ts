import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { enterAccountManually } from './support/setup-wizard-steps';

// The outbox as a user sees it: a sent message waits in the Outbox for the undo delay (long here, so
// the test never races it), can be sent at once or taken back, and lands in Sent with the server's reply.

const USER = 'ada@example.test';
const PASSWORD = 'outbox-e2e-Secret-9';

let smtp: TestSmtpServer;
let port = 0;
/** Subjects the server received, in order. */
const subjects = () => smtp.messages.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]?.trim() ?? '');
let host: HostProcess;
let browser: Browser;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({ certificate: certificates.localhost, users: { [USER]: PASSWORD } });
  port = smtp.port;

  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-outbox-'));
  // A profile preference: a minute to undo, so nothing here depends on how fast the test clicks.
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 60_000 } }));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

describe('outbox in the real renderer', () => {
  it('holds a message for undo, sends it on request, takes another back, and lists Sent with the reply', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);

    expect(
      await enterAccountManually(page, {
        name: 'Ada Lovelace',
        email: USER,
        password: PASSWORD,
        host: 'localhost',
        port,
        security: 'starttls',
      }),
    ).toBe('passed');
    await page.getByRole('button', { name: 'Save account' }).click();

    const compose = async (subject: string) => {
      await page.getByRole('heading', { name: 'New message' }).waitFor();
      await page.getByLabel('To').fill('charles@example.test');
      await page.getByLabel('Subject').fill(subject);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Queued' }).first().waitFor({ timeout: 30_000 });
    };
    await compose('First from the outbox');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: /Outbox/ }).click();
    const first = page.getByRole('listitem').filter({ hasText: 'First from the outbox' });
    await first.getByText(/undo possible/).waitFor();
    // The pending count in the navigation.
    await nav.getByText('1', { exact: true }).waitFor();

    await first.getByRole('button', { name: 'Send now' }).click();
    await nav.getByRole('button', { name: /^Sent/ }).click();
    const sent = page.getByRole('article', { name: 'First from the outbox' });
    await sent.getByText(/The server replied/).waitFor({ timeout: 30_000 });
    expect(await sent.locator('.server-reply').textContent()).toMatch(/^250/);
    expect(subjects()).toEqual(['First from the outbox']);

    // A second message, taken back within the delay: it goes back to compose as it was typed, and
    // nothing of it is left in the outbox that could still be sent.
    await nav.getByRole('button', { name: 'New message' }).click();
    await compose('Second, taken back');
    await nav.getByRole('button', { name: /Outbox/ }).click();
    const second = page.getByRole('listitem').filter({ hasText: 'Second, taken back' });
    await second.getByRole('button', { name: 'Undo send' }).click();
    await expect
      .poll(() => page.getByLabel('Subject').inputValue(), { timeout: 20_000 })
      .toBe('Second, taken back');
    await nav.getByRole('button', { name: /Outbox/ }).click();
    await page.getByText('Nothing waiting to be sent.').waitFor();
    expect(await page.getByRole('button', { name: 'Send anyway' }).count()).toBe(0);
    expect(subjects()).toEqual(['First from the outbox']);

    // Cancelled in the Outbox: kept to edit or delete, never offered to be sent.
    await nav.getByRole('button', { name: 'New message' }).click();
    await compose('Third, cancelled');
    await nav.getByRole('button', { name: /Outbox/ }).click();
    const third = page.getByRole('listitem').filter({ hasText: 'Third, cancelled' });
    await third.getByRole('button', { name: 'Cancel' }).click();
    await third.getByText('Cancelled').waitFor();
    expect(await third.getByRole('button').allTextContents()).toEqual(['Edit', 'Delete']);
    await third.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Nothing waiting to be sent.').waitFor();
    expect(subjects()).toEqual(['First from the outbox']);
    expect(pageErrors).toEqual([]);
  });
});
