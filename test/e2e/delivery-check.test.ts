import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startDnsmasq, type DnsmasqServer } from '../harness/dnsmasq';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { enterAccountManually } from './support/setup-wizard-steps';

// "Will it arrive?" in the wizard: after the settings check, the From domain's SPF and DMARC (served
// by a local dnsmasq that the browser host's --dns-server points at) say that corp.test's reject
// policy will bounce mail sent through this server, with the fix. Then Accounts shows the check per
// identity, and checks a new identity as soon as it is added.

const SCREENSHOT_DIR = resolve(__dirname, '../../test-results/screenshots');
const USER = 'ada@corp.test';
const PASSWORD = 'delivery-check-e2e-Secret-7';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

let dns: DnsmasqServer;
let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({ certificate: certificates.localhost, users: { [USER]: PASSWORD } });
  dns = await startDnsmasq({
    localZones: ['test'],
    txt: [
      { name: 'corp.test', text: 'v=spf1 ip4:198.51.100.7 -all' },
      { name: '_dmarc.corp.test', text: 'v=DMARC1; p=reject' },
      { name: 'local.test', text: 'v=spf1 ip4:127.0.0.1 -all' },
      { name: '_dmarc.local.test', text: 'v=DMARC1; p=quarantine' },
    ],
  });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-delivery-'));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile }, [
    '--dns-server',
    `127.0.0.1:${dns.port}`,
  ]);
  browser = await launchChromium({ scrollbars: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
  await dns?.stop();
});

/** axe-core's WCAG A/AA and best-practice violations inside `selector`, in both schemes. */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"')))
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const ids = (await page.evaluate(`axe.run(${JSON.stringify(selector)}, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }).then((r) => r.violations.flatMap((v) => v.nodes.map((n) => v.id + ' at ' + n.target.join(' '))))`)) as string[];
    found.push(...ids.map((id) => `${scheme}: ${id}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

async function photograph(page: Page, view: string, target: Locator): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await target.scrollIntoViewIfNeeded();
      const path = join(SCREENSHOT_DIR, `${view}-${size.width}x${size.height}-${scheme}.png`);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES[0]);
}

describe('delivery check', () => {
  it('shows in the wizard after the settings check, and per identity in Accounts', async () => {
    const page = await browser.newPage({ viewport: SIZES[0] });
    await page.goto(host.url);
    const outcome = await enterAccountManually(page, {
      name: 'Ada Lovelace',
      email: USER,
      password: PASSWORD,
      host: 'localhost',
      port: smtp.port,
      security: 'starttls',
    });
    expect(outcome).toBe('passed');

    const section = page.getByRole('region', { name: `Delivery check for ${USER}` });
    await section.locator('[data-kind="dmarc"]').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => section.locator('.delivery-check-lead').first().textContent())
      .toBe('Mail from ada@corp.test sent through localhost is likely to be rejected or put in spam.');
    const dmarc = section.locator('[data-kind="dmarc"]');
    expect(await dmarc.getAttribute('data-status')).toBe('fail');
    expect(await dmarc.locator('.delivery-words').textContent()).toBe(
      "corp.test's DMARC policy is reject and its SPF does not include localhost: receivers will reject mail from ada@corp.test sent through localhost unless localhost signs it for corp.test (DKIM).",
    );
    expect(await dmarc.locator('.delivery-fix').textContent()).toBe(
      "Fix: Authorise localhost in corp.test's SPF record, or set up DKIM signing for corp.test where localhost is run.",
    );
    expect(await section.locator('[data-kind="spf"]').getAttribute('data-status')).toBe('fail');
    await expect.poll(() => section.textContent()).toContain('it never stops you saving or sending');
    // Advice only: saving is still offered.
    expect(await page.getByRole('button', { name: 'Save account' }).isEnabled()).toBe(true);
    expect(await axeViolations(page, '.delivery-check')).toEqual([]);
    await photograph(page, 'setup-delivery-check', section);

    // Accounts: the identity's check, and a new identity checked as soon as it is added.
    await page.getByRole('button', { name: 'Save account' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: /^Identities and signatures of/ }).click();
    await page.getByRole('button', { name: 'Add identity' }).click();
    const form = page.getByRole('form', { name: 'Add an identity' });
    await form.getByLabel('Name').fill('Ada at home');
    await form.getByLabel('Send as address').fill('ada@local.test');
    await form.getByRole('button', { name: 'Save identity' }).click();
    const checks = page.getByRole('region', { name: /^Delivery check for / });
    await expect.poll(() => checks.count()).toBe(2);
    const added = page.locator('.identity-row').filter({ hasText: 'ada@local.test' });
    await added.locator('.delivery-chip').first().waitFor({ timeout: 15_000 });
    expect(await added.locator('.delivery-chip').allTextContents()).toEqual([
      '✓ SPF: passes',
      '✓ DMARC: passes',
    ]);
    const first = page.locator('.identity-row').filter({ hasText: USER });
    await first.locator('.delivery-chip').first().waitFor({ timeout: 15_000 });
    // The failing one opens by itself; the passing one stays a line.
    expect(await first.locator('details').getAttribute('open')).not.toBeNull();
    expect(await added.locator('details').getAttribute('open')).toBeNull();
    expect(await axeViolations(page, '.identity-row .delivery-check')).toEqual([]);
    await photograph(page, 'accounts-delivery-check', first);
  });
});
