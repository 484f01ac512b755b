import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { Browser, Locator, Page } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';

// Someone who uses no mouse: every step of setting up an account and sending a message is reached
// with Tab, typed into, and operated with Enter, Space or the arrow keys; Ctrl+Enter sends.

const USER = 'ada@example.test';
const PASSWORD = 'keyboard-e2e-Secret-3';

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({ certificate: certificates.localhost, users: { [USER]: PASSWORD } });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-keyboard-'));
  // No undo window: "Sent." follows Ctrl+Enter without a wait.
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 0 } }));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

const MAX_TABS = 40;

const isFocused = (target: Locator) =>
  target.evaluate((element) => element.ownerDocument.activeElement === element);

/** What has the focus, for a failure message. */
const focusedElement = (page: Page) =>
  page.evaluate('document.activeElement ? document.activeElement.outerHTML.slice(0, 100) : "nothing"');

/** Presses Tab until `target` has the focus; fails if it is not reachable in the tab order. */
async function tabTo(page: Page, target: Locator, what: string): Promise<void> {
  await target.waitFor();
  if (await isFocused(target)) return;
  for (let presses = 0; presses < MAX_TABS; presses++) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return;
  }
  throw new Error(`${what} was not reached with ${MAX_TABS} presses of Tab`);
}

/** The focus moved to `target` by itself (a new step, or the next thing to do), not to the page top. */
async function expectFocusOn(page: Page, target: Locator, what: string): Promise<void> {
  await target.waitFor();
  expect(await isFocused(target), `focus should be on ${what}, is on ${await focusedElement(page)}`).toBe(
    true,
  );
}

describe('keyboard only', () => {
  it('sets up an account and sends a message without the mouse', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();

    await tabTo(page, page.getByLabel('Your name'), 'Your name');
    await page.keyboard.type('Ada Lovelace');
    await tabTo(page, page.getByLabel('Email address'), 'Email address');
    await page.keyboard.type(USER);
    await tabTo(page, page.getByLabel('Password'), 'Password');
    await page.keyboard.type(PASSWORD);
    const manual = page.getByRole('button', { name: 'Enter server settings manually' });
    await tabTo(page, manual, 'Enter server settings manually');
    await page.keyboard.press('Enter');
    await expectFocusOn(page, page.getByRole('heading', { name: 'Outgoing server (SMTP)' }), 'the new step');

    await tabTo(page, page.getByLabel('Server', { exact: true }), 'Server');
    await page.keyboard.type('localhost');
    const security = page.getByLabel('Security');
    await tabTo(page, security, 'Security');
    await page.keyboard.press('ArrowDown');
    expect(await security.inputValue()).toBe('starttls');
    const portField = page.getByLabel('Port');
    expect(await portField.inputValue()).toBe('587');
    await tabTo(page, portField, 'Port');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(String(smtp.port));
    await tabTo(page, page.getByRole('button', { name: 'Check settings' }), 'Check settings');
    await page.keyboard.press('Enter');
    await page.getByText('Everything checks out.').waitFor({ timeout: 30_000 });
    // The focus stayed on the button that started the check (now "Check again"); saving is next to it.
    await expectFocusOn(page, page.getByRole('button', { name: 'Check again' }), 'Check again');
    await tabTo(page, page.getByRole('button', { name: 'Save account' }), 'Save account');
    await page.keyboard.press('Space');

    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await expectFocusOn(page, page.getByLabel('To', { exact: true }), 'To');
    await page.keyboard.type('charles@example.test');
    await tabTo(page, page.getByLabel('Subject'), 'Subject');
    // Leaving To with Tab made the typed address a recipient.
    await page.getByText('charles@example.test').waitFor();
    await page.keyboard.type('Typed, not clicked');
    // One Tab from Subject to the text: the toolbar is not in between (it comes after, one stop).
    await page.keyboard.press('Tab');
    await expectFocusOn(page, page.getByRole('textbox', { name: 'Message' }), 'Message');
    await page.keyboard.type('Every key counts.');
    // The toolbar is one stop after the text, its tools reached with the arrow keys.
    await page.keyboard.press('Tab');
    await expectFocusOn(page, page.getByLabel('Text style'), 'the toolbar');
    await page.keyboard.press('ArrowRight');
    await expectFocusOn(page, page.getByRole('button', { name: 'Bold' }), 'Bold');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Sent.' }).waitFor({ timeout: 30_000 });
    // The focus went to the outcome.
    await expectFocusOn(page, page.getByRole('region', { name: 'Send outcome' }), 'the send outcome');

    expect(smtp.messages).toHaveLength(1);
    const mail = await simpleParser(smtp.messages[0]!.raw);
    expect(mail.subject).toBe('Typed, not clicked');
    expect(mail.text?.trim()).toBe('Every key counts.');
    expect(smtp.messages[0]!.to).toEqual(['charles@example.test']);
    expect(pageErrors).toEqual([]);
  });
});
