import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { enterAccountManually } from './support/setup-wizard-steps';

// Pictures of every main view for a reviewer (the README names the folder): the setup wizard, compose,
// drafts, outbox (one message queued, one failed), sent, send to a list and its job, accounts (one, then
// two); each at 1280x800 and 800x600, light and dark. One browser and one page: the viewport and colour
// scheme change, the state stays.

export const SCREENSHOT_DIR = resolve(__dirname, '../../test-results/screenshots');

const USER = 'ada@example.test';
const PASSWORD = 'screenshots-e2e-Secret-4';
// A second account, so the accounts view shows one that is not the default (with "Make default").
const SECOND_USER = 'lovelace@engine.test';
const SECOND_PASSWORD = 'screenshots-e2e-Secret-5';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;
let page: Page;
const written: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({
    certificate: certificates.localhost,
    users: { [USER]: PASSWORD, [SECOND_USER]: SECOND_PASSWORD },
    rejectRecipient: (address) =>
      address.startsWith('nobody@') ? { code: 550, text: '5.1.1 No such user here' } : undefined,
  });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-screenshots-'));
  // A minute to undo, so a queued message stays in the Outbox while it is photographed.
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 60_000 } }));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile });
  browser = await launchChromium({ scrollbars: true });
  page = await browser.newPage({ viewport: SIZES[0] });
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

/** The page as it is now, at both sizes in both schemes, as `<view>-<width>x<height>-<scheme>.png`. */
async function photograph(view: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const path = join(SCREENSHOT_DIR, `${view}-${size.width}x${size.height}-${scheme}.png`);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      written.push(path);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES[0]);
}

const nav = () => page.getByRole('navigation', { name: 'Main' });

async function composeAndSend(to: string, subject: string, body: string): Promise<void> {
  await nav().getByRole('button', { name: 'New message' }).click();
  await page.getByRole('heading', { name: 'New message' }).waitFor();
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('To', { exact: true }).press('Enter');
  await page.getByLabel('Subject').fill(subject);
  await page.getByRole('textbox', { name: 'Message' }).fill(body);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Queued' }).first().waitFor({ timeout: 30_000 });
}

describe('screenshots of every main view', () => {
  it('the setup wizard', async () => {
    await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
    await photograph('setup-wizard');
    expect(
      await enterAccountManually(page, {
        name: 'Ada Lovelace',
        email: USER,
        password: PASSWORD,
        host: 'localhost',
        port: smtp.port,
        security: 'starttls',
      }),
    ).toBe('passed');
    // The check's outcome in view, as the user sees it right after the check.
    await page.getByText('Everything checks out.').scrollIntoViewIfNeeded();
    await photograph('setup-wizard-checked');
    await page.getByRole('button', { name: 'Save account' }).click();
  });

  it('compose, with a recipient, a subject and a body', async () => {
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('To', { exact: true }).fill('Charles Babbage <charles@example.test>');
    await page.getByLabel('To', { exact: true }).press('Enter');
    await page.getByLabel('Subject').fill('Notes on the Analytical Engine');
    await page
      .getByRole('textbox', { name: 'Message' })
      .fill('Dear Charles,\n\nHere are my notes on the engine, as promised.\n\nAda');
    await photograph('compose');
  });

  it('outbox with a queued and a failed message, then sent', async () => {
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Queued' }).first().waitFor({ timeout: 30_000 });
    await nav()
      .getByRole('button', { name: /Outbox/ })
      .click();
    const first = page.getByRole('listitem').filter({ hasText: 'Notes on the Analytical Engine' });
    await first.getByRole('button', { name: 'Send now' }).click();

    await composeAndSend('nobody@example.test', 'To an address that does not exist', 'Hello?');
    await nav()
      .getByRole('button', { name: /Outbox/ })
      .click();
    const doomed = page.getByRole('listitem').filter({ hasText: 'To an address that does not exist' });
    await doomed.getByRole('button', { name: 'Send now' }).click();
    await doomed.getByText('Not sent', { exact: true }).first().waitFor({ timeout: 30_000 });

    await composeAndSend('Charles Babbage <charles@example.test>', 'The Difference Engine', 'More soon.');
    await nav()
      .getByRole('button', { name: /Outbox/ })
      .click();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'The Difference Engine' })
      .getByText(/undo possible/)
      .waitFor();
    await photograph('outbox');

    await nav().getByRole('button', { name: 'Sent', exact: true }).click();
    await page
      .getByRole('article', { name: 'Notes on the Analytical Engine' })
      .getByText(/The server replied/)
      .waitFor({ timeout: 30_000 });
    await photograph('sent');
  });

  it('drafts, with a draft in it', async () => {
    await nav().getByRole('button', { name: 'New message' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('To', { exact: true }).fill('Mary Somerville <mary@example.test>');
    await page.getByLabel('To', { exact: true }).press('Enter');
    await page.getByLabel('Subject').fill('Half a thought');
    await page.getByText('Draft saved').waitFor({ timeout: 20_000 });
    await nav().getByRole('button', { name: 'Drafts' }).click();
    await page.getByRole('button', { name: 'Open draft Half a thought' }).waitFor();
    await photograph('drafts');
  });

  it('send to a list: the dialog with its preview, then the job in the outbox', async () => {
    await nav().getByRole('button', { name: 'New message' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('Subject').fill('Engine society: your seat, {{name}}');
    await page
      .getByRole('textbox', { name: 'Message' })
      .fill('Dear {{name}},\n\nyour seat at Thursday’s meeting is {{seat}}.\n\nAda');
    await page.getByRole('button', { name: 'Send to a list…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send to a list' });
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'society-members.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'name,email,seat\nCharles Babbage,charles@example.test,A1\nMary Somerville,mary@example.test,A2\n' +
          'John Herschel,john@,A3\nNobody,nobody@example.test,B1\n',
      ),
    });
    await dialog.getByRole('button', { name: 'Send 3 messages' }).waitFor();
    await photograph('merge-dialog');
    await dialog.getByRole('button', { name: 'Send 3 messages' }).click();
    await page.getByText('3 messages queued').waitFor({ timeout: 20_000 });
    await nav()
      .getByRole('button', { name: /Outbox/ })
      .click();
    const job = page.getByRole('list', { name: 'Lists being sent' }).getByRole('listitem').first();
    await job.getByTestId('merge-job-state').filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
    await job.getByRole('button', { name: 'Show rows' }).click();
    await photograph('outbox-merge');
  });

  it('accounts', async () => {
    await nav().getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: /^Edit settings of / }).waitFor();
    await photograph('accounts');

    await page.getByRole('button', { name: 'Add account' }).click();
    expect(
      await enterAccountManually(page, {
        name: 'Ada Lovelace',
        email: SECOND_USER,
        password: SECOND_PASSWORD,
        host: 'localhost',
        port: smtp.port,
        security: 'starttls',
      }),
    ).toBe('passed');
    await page.getByRole('button', { name: 'Save account' }).click();
    await nav().getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: `Make default account: ${SECOND_USER}` }).waitFor();
    await photograph('accounts-two');
    // Every view at both sizes in both schemes.
    expect(written).toHaveLength(10 * SIZES.length * SCHEMES.length);
  });
});
