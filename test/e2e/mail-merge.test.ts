import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { openComposeWithAccount } from './support/compose-account';

// "Send to a list…" in the real renderer against the real core and a real SMTP server: the user sets
// a sending limit for the account, writes a message with {{placeholders}}, picks a CSV with a bad row,
// sees the messages as they will be sent and the row left out, sends, and follows the job in the
// Outbox (paused, resumed, done). What arrived is parsed back: each row's own To, subject and text.

/** The folder the README names for screenshots. */
const SCREENSHOT_DIR = resolve(__dirname, '../../test-results/screenshots');
const USER = 'ada@example.test';
const PASSWORD = 'merge-e2e-Secret-5';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

const GUESTS = [
  'email,first name,table',
  'charles@example.org,Charles,3',
  'mary@example.org,Mary,"7, by the window"',
  'not-an-address,Nobody,1',
  'ada.b@example.org,Ada,5',
  '',
].join('\r\n');

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({
    certificate: certificates.localhost,
    users: { [USER]: PASSWORD },
    // A server pushing back on volume, as providers do: "slow down", not "no".
    rejectRecipient: (address) =>
      address.startsWith('busy@') ? { code: 451, text: '4.7.1 Too many messages, slow down' } : undefined,
  });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-merge-'));
  // The browser's stand-in for the native file dialog: "Attach files…" picks what is in this folder.
  const attachDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-merge-attach-'));
  writeFileSync(join(attachDir, 'seating-plan.txt'), 'Table 3: by the door.\nTable 7: by the window.\n');
  host = await startHostProcess(profileDir, {
    NODE_EXTRA_CA_CERTS: certificates.caFile,
    MAILROOM_ATTACH_PICKER_DIR: attachDir,
  });
  browser = await launchChromium({ scrollbars: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

async function photograph(page: Page, view: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const path = join(SCREENSHOT_DIR, `${view}-${size.width}x${size.height}-${scheme}.png`);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES[0]);
}

/**
 * axe-core (WCAG 2 A/AA and best practices) over the page as it is, light and dark, as the
 * accessibility audit runs it; the preview's sandboxed frame holds the user's mail, not the window.
 */
async function axeViolations(page: Page, what: string, within = 'document'): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (!(await page.evaluate('typeof axe !== "undefined"'))) {
      await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    }
    const violations = (await page.evaluate(`axe.run(${within}, {
      iframes: false,
      rules: { 'frame-tested': { enabled: false } },
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }).then((r) => r.violations.map((v) => v.id + ' at ' + v.nodes.map((n) => JSON.stringify(n.target)).join(' ') + ': ' + v.help))`)) as string[];
    found.push(...violations.map((v) => `${what}, ${scheme}: ${v}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

const addressOf = (to: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(to) ? to : to ? [to] : []).flatMap((a) => a.value.map((v) => `${v.name} <${v.address}>`));

describe('mail merge in the real renderer', () => {
  it('previews a list with a bad row, sends one message per good row, and shows the job to done', async () => {
    page = await openComposeWithAccount(browser, host.url, {
      email: USER,
      password: PASSWORD,
      port: smtp.port,
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const nav = page.getByRole('navigation', { name: 'Main' });

    // The account's own limit (a server of the user's own): 30 a minute, one every 2 seconds, so the
    // job is seen in progress.
    await nav.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: /^Sending limits of / }).click();
    const limits = page.getByRole('form', { name: /^Sending limits of / });
    await limits.getByText('not a provider Mailroom knows').waitFor();
    await limits.getByLabel('Messages a minute').fill('30');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await limits.getByText('Limits saved.').waitFor();
    await photograph(page, 'accounts-sending-limits');
    expect(await limits.locator('strong').first().textContent()).toBe('30 a minute');
    // The whole view: this account has not been verified, so its card shows Verify now as well.
    expect(await axeViolations(page, 'accounts with sending limits')).toEqual([]);

    await nav.getByRole('button', { name: 'New message' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    // An address in the message's own To is not used: every row is its own To (checked at the server).
    await page.getByLabel('To', { exact: true }).fill('board@example.org');
    await page.getByLabel('To', { exact: true }).press('Enter');
    await page.getByLabel('Subject').fill('Your table, {{first name}}');
    await page
      .getByRole('textbox', { name: 'Message' })
      .fill('Dear {{first name}},\n\nyour table is {{table}}.\n\nAda');
    await page.getByRole('button', { name: 'Attach files…' }).click();
    await page.getByText('seating-plan.txt').waitFor();
    await page.getByRole('button', { name: 'Send to a list…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Send to a list' });
    // The message is rich text: the preview draws its HTML part in a sandboxed frame, as Sent does.
    const previewText = () => dialog.frameLocator('iframe').locator('body').textContent();
    await dialog.getByRole('heading', { name: 'Choose the list to send to' }).waitFor();
    await photograph(page, 'merge-dialog-empty');
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'guests.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${GUESTS}`, 'utf8'),
    });
    await dialog.getByText('4 rows, separated by commas').waitFor();
    await dialog.getByText('The message’s own To (1 address) is not used').waitFor();
    expect(await dialog.getByLabel('Address column').inputValue()).toBe('email');
    // The picker is gone once the list is read: the focus moves on to the next choice, not to the page.
    expect(
      await dialog.getByLabel('Address column').evaluate((e) => e === e.ownerDocument.activeElement),
    ).toBe(true);
    // No column is called "name": the user picks the one with the first names.
    await dialog.getByLabel('Name column').selectOption('first name');
    await expect
      .poll(() => dialog.getByTestId('merge-preview-to').textContent())
      .toBe('Charles <charles@example.org>');
    expect(await dialog.getByTestId('merge-preview-subject').textContent()).toBe('Your table, Charles');
    await expect.poll(previewText).toContain('your table is 3.');
    await dialog.getByRole('button', { name: 'Next message' }).click();
    await expect
      .poll(() => dialog.getByTestId('merge-preview-to').textContent())
      .toBe('Mary <mary@example.org>');
    await expect.poll(previewText).toContain('your table is 7, by the window.');
    expect(await dialog.getByText('Message 2 of 3 · row 3').count()).toBe(1);

    // The bad row is named with its spreadsheet row number and why, and is not counted.
    const leftOut = dialog.getByRole('list', { name: 'Rows left out' });
    expect(await leftOut.getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^Row 4.*not-an-address/),
    ]);
    expect(await dialog.getByRole('list', { name: 'Placeholders the message uses' }).textContent()).toBe(
      '{{first name}}{{table}}',
    );
    await dialog.getByText('You set this account to at most 30 a minute').waitFor();
    await dialog
      .getByRole('region', { name: 'Attached to each message' })
      .getByText('seating-plan.txt')
      .waitFor();
    await photograph(page, 'merge-dialog-bad-row');
    expect(await axeViolations(page, 'merge dialog')).toEqual([]);

    await dialog.getByRole('button', { name: 'Send 3 messages' }).click();
    await page.getByText('3 messages queued').waitFor({ timeout: 20_000 });
    expect(await dialog.count()).toBe(0);

    // The Outbox shows one job with its progress; paused, it holds the rest; resumed, it finishes.
    await nav.getByRole('button', { name: /Outbox/ }).click();
    const job = page.getByRole('list', { name: 'Lists being sent' }).getByRole('listitem').first();
    await job.getByText('Your table, {{first name}}').waitFor();
    await job.getByRole('button', { name: 'Pause' }).click();
    await job.getByTestId('merge-job-state').filter({ hasText: 'Paused' }).waitFor();
    await job.getByRole('button', { name: 'Show rows' }).click();
    await job.getByText('Row 4', { exact: true }).waitFor();
    await photograph(page, 'outbox-merge-paused');
    expect(await axeViolations(page, 'outbox with a merge job')).toEqual([]);
    expect(smtp.messages.length).toBeLessThan(3);

    await job.getByRole('button', { name: 'Resume' }).click();
    await job.getByTestId('merge-job-state').filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => job.getByTestId('merge-job-progress').textContent()).toBe('3 of 3');
    expect(await job.locator('[data-count=sent]').textContent()).toBe('3 sent');
    expect(await job.locator('[data-count=skipped]').textContent()).toBe('1 left out');

    // What arrived: one message per good row, each with its own To, subject and text, nothing twice.
    const parsed = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const got = parsed
      .map((m) => ({
        to: addressOf(m.to),
        subject: m.subject,
        text: m.text?.trim(),
        files: m.attachments.map((a) => `${a.filename}: ${a.content.toString('utf8').split('\n')[0]}`),
      }))
      .sort((a, b) => (a.subject ?? '').localeCompare(b.subject ?? ''));
    expect(got).toEqual([
      {
        to: ['Ada <ada.b@example.org>'],
        subject: 'Your table, Ada',
        text: expect.stringContaining('Dear Ada,'),
        files: ['seating-plan.txt: Table 3: by the door.'],
      },
      {
        to: ['Charles <charles@example.org>'],
        subject: 'Your table, Charles',
        text: expect.stringContaining('your table is 3.'),
        files: ['seating-plan.txt: Table 3: by the door.'],
      },
      {
        to: ['Mary <mary@example.org>'],
        subject: 'Your table, Mary',
        text: expect.stringContaining('your table is 7, by the window.'),
        files: ['seating-plan.txt: Table 3: by the door.'],
      },
    ]);
    expect(smtp.messages.flatMap((m) => m.to).sort()).toEqual([
      'ada.b@example.org',
      'charles@example.org',
      'mary@example.org',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('slows a job down when the server pushes back, says so, and cancels the rest after asking', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    const before = smtp.messages.length;
    await nav.getByRole('button', { name: 'New message' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('Subject').fill('Minutes for {{name}}');
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello {{name}}, the minutes are attached.');
    const dialog = page.getByRole('dialog', { name: 'Send to a list' });
    // From the keyboard: the file picker has the focus, Escape closes and leaves the message as it was.
    await page.getByRole('button', { name: 'Send to a list…' }).click();
    await dialog.getByRole('heading', { name: 'Choose the list to send to' }).waitFor();
    expect(await page.evaluate('document.activeElement?.type')).toBe('file');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Subject').inputValue()).toBe('Minutes for {{name}}');
    await page.getByRole('button', { name: 'Send to a list…' }).click();
    // Semicolons, as a spreadsheet in a comma-decimal locale saves CSV.
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'committee.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name;email\nBusy Bee;busy@example.org\nLater Lee;later@example.org\n', 'utf8'),
    });
    await dialog.getByText('2 rows, separated by semicolons').waitFor();
    // A column called "name" is the display name without being chosen.
    expect(await dialog.getByLabel('Name column').inputValue()).toBe('name');
    await dialog.getByText('No rows left out').waitFor();
    await dialog.getByRole('button', { name: 'Send 2 messages' }).click();
    await page.getByText('2 messages queued').waitFor({ timeout: 20_000 });

    await nav.getByRole('button', { name: /Outbox/ }).click();
    const job = page
      .getByRole('list', { name: 'Lists being sent' })
      .getByRole('listitem')
      .filter({ hasText: 'Minutes for {{name}}' });
    await job
      .getByText(/^Slowed down after the server said: “.*Too many messages, slow down”/)
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nThe job reads: ${await job.textContent()}`);
      });
    expect(await job.getByTestId('merge-job-state').textContent()).toBe('Sending');
    await photograph(page, 'outbox-merge-slowed');

    await job.getByRole('button', { name: 'Cancel…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Cancel “Minutes for {{name}}”?' });
    // The safe choice has the focus, and says what it does.
    expect(
      await confirm
        .getByRole('button', { name: 'Keep sending' })
        .evaluate((b) => b === b.ownerDocument.activeElement),
    ).toBe(true);
    await confirm.getByRole('button', { name: 'Cancel the job' }).click();
    await job.getByTestId('merge-job-state').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 20_000 });
    // A row still on the wire when Cancel was pressed is cancelled once the server has answered it.
    await expect
      .poll(() => job.locator('[data-count=cancelled]').textContent(), { timeout: 10_000 })
      .toBe('2 cancelled')
      .catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}\nThe job reads: ${await job.textContent()}\nDelivered since: ${smtp.messages.length - before}`,
        );
      });
    expect(await job.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    expect(smtp.messages.slice(before)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
