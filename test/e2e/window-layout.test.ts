import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { enterAccountManually } from './support/setup-wizard-steps';

// The main window as a desktop mail client: a sidebar of places beside a content area that fills
// the window, at 1280x800 and at 800x600 (where nothing may need a sideways scroll), with the
// sidebar's counts kept live: drafts, queued, and failed in the alert colour.

const USER = 'ada@example.test';
const PASSWORD = 'layout-e2e-Secret-3';

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({
    certificate: certificates.localhost,
    users: { [USER]: PASSWORD },
    rejectRecipient: (address) =>
      address.startsWith('nobody@') ? { code: 550, text: '5.1.1 No such user here' } : undefined,
  });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-layout-'));
  // A minute to undo, so a queued message stays queued while the test looks at its count.
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 60_000 } }));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile });
  browser = await launchChromium({ scrollbars: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url);
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
  await page.getByRole('button', { name: 'Save account' }).click();
  await page.getByRole('heading', { name: 'New message' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

const nav = () => page.getByRole('navigation', { name: 'Main' });
const place = (name: string) => nav().getByRole('button', { name });
const PLACES = ['New message', 'Drafts', 'Outbox', 'Sent', 'Accounts'];

interface Geometry {
  viewport: number;
  sidebarRight: number;
  contentLeft: number;
  contentRight: number;
  pageScrollsSideways: boolean;
  contentScrollsSideways: boolean;
}

// Measured in the page (the tests are type-checked without the DOM's types, so as source text).
const GEOMETRY = `(() => {
  const sidebar = document.querySelector('nav[aria-label="Main"]').closest('header');
  const content = document.querySelector('main');
  const root = document.scrollingElement;
  return {
    viewport: window.innerWidth,
    sidebarRight: sidebar.getBoundingClientRect().right,
    contentLeft: content.getBoundingClientRect().left,
    contentRight: content.getBoundingClientRect().right,
    pageScrollsSideways: root.scrollWidth > root.clientWidth,
    contentScrollsSideways: content.scrollWidth > content.clientWidth,
  };
})()`;

const geometry = () => page.evaluate(GEOMETRY) as Promise<Geometry>;

async function visitEveryPlace(): Promise<Record<string, Geometry>> {
  const seen: Record<string, Geometry> = {};
  for (const name of ['Drafts', 'Outbox', 'Sent', 'Accounts', 'New message']) {
    await place(name).click();
    await page.getByRole('heading', { name, exact: true }).first().waitFor();
    seen[name] = await geometry();
  }
  return seen;
}

describe('the main window', () => {
  it('at 1280x800: a sidebar with every place, and the content filling the rest of the window', async () => {
    for (const name of PLACES) expect(await place(name).isVisible(), name).toBe(true);
    for (const [view, g] of Object.entries(await visitEveryPlace())) {
      expect(g.sidebarRight, view).toBeGreaterThanOrEqual(180);
      expect(g.contentLeft, view).toBeCloseTo(g.sidebarRight, 0);
      expect(g.contentRight, view).toBe(g.viewport);
      expect(g.pageScrollsSideways || g.contentScrollsSideways, `${view} scrolls sideways`).toBe(false);
    }
  });

  it('at 800x600: a narrower sidebar, every place reachable and labelled, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    for (const name of PLACES) {
      const box = await place(name).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.y + box!.height, `${name} is inside the window`).toBeLessThanOrEqual(600);
      // Still a visible word, not only an icon.
      expect(await place(name).innerText(), name).toContain(name.split(' ')[0]);
    }
    for (const [view, g] of Object.entries(await visitEveryPlace())) {
      expect(g.sidebarRight, view).toBeLessThan(120);
      expect(g.contentRight, view).toBe(g.viewport);
      expect(g.pageScrollsSideways || g.contentScrollsSideways, `${view} scrolls sideways`).toBe(false);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('keeps the content where it is when a scrollbar appears', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    const widthOf = () =>
      page.evaluate(`(() => {
        const content = document.querySelector('main');
        return { scrolls: content.scrollHeight > content.clientHeight, width: content.clientWidth };
      })()`) as Promise<{ scrolls: boolean; width: number }>;
    await place('Drafts').click();
    await page.getByText(/^No drafts/).waitFor();
    const short = await widthOf();
    // The account editor is a long form: at 600 px high the content scrolls.
    await place('Accounts').click();
    await page.getByRole('button', { name: /^Edit settings of / }).click();
    await page.getByLabel('Server', { exact: true }).waitFor();
    const long = await widthOf();
    expect(short.scrolls).toBe(false);
    expect(long.scrolls).toBe(true);
    expect(long.width).toBe(short.width);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("lays out an account's buttons in whole groups, with Remove apart on the account's name line", async () => {
    await place('Accounts').click();
    const card = page.getByRole('listitem', { name: USER });
    const topOf = async (name: string) => {
      const box = await card.getByRole('button', { name: `${name} ${USER}`, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      return Math.round(box!.y);
    };
    const connection = ['Edit settings of', 'Change password of'];
    const sending = ['Identities and signatures of', 'Sending limits of', 'Send a test message from'];
    for (const size of [
      { width: 1280, height: 800 },
      { width: 800, height: 600 },
    ]) {
      await page.setViewportSize(size);
      const lines = new Map<string, number>();
      for (const name of [...connection, ...sending, 'Remove']) lines.set(name, await topOf(name));
      const at = `at ${size.width}x${size.height}`;
      // A narrow window may put a group on a line of its own, never split one.
      for (const group of [connection, sending]) {
        expect(new Set(group.map((name) => lines.get(name))).size, `${group[0]} group ${at}`).toBe(1);
      }
      // The window is wide enough for both groups on one line.
      if (size.width === 1280) expect(lines.get(sending[0]!), at).toBe(lines.get(connection[0]!));
      // Remove acts on the whole account: beside its name, above the settings, not trailing after them.
      const name = (await card.getByRole('heading', { name: USER }).boundingBox())!;
      const remove = (await card.getByRole('button', { name: `Remove ${USER}`, exact: true }).boundingBox())!;
      expect(remove.y, `Remove ${at}`).toBeLessThan(name.y + name.height);
      expect(remove.y + remove.height, `Remove ${at}`).toBeLessThan(lines.get(connection[0]!)!);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('counts drafts, queued and failed messages live; failed ones in the alert colour', async () => {
    const count = (name: 'draft' | 'drafts' | 'queued' | 'failed') => nav().locator(`[data-count="${name}"]`);
    expect(await count('queued').count()).toBe(0);
    expect(await count('failed').count()).toBe(0);

    // A draft: counted once it is saved.
    await place('New message').click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('Subject').fill('Half a thought');
    await page.getByText('Draft saved').waitFor({ timeout: 20_000 });
    await count('draft').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });

    // Queued: the count changes while compose is still showing, without leaving it.
    await place('New message').click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('To', { exact: true }).fill('charles@example.test');
    await page.getByLabel('Subject').fill('Queued for a minute');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await count('queued').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await place('Outbox').getAttribute('aria-current')).toBeNull();
    expect(await place('Outbox').textContent()).toContain('1 queued');

    // Failed: counted apart from the queued one, in the alert colour.
    await place('New message').click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    await page.getByLabel('To', { exact: true }).fill('nobody@example.test');
    await page.getByLabel('Subject').fill('Bound to fail');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await count('queued').getByText('2', { exact: true }).waitFor({ timeout: 10_000 });
    await place('Outbox').click();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Bound to fail' })
      .getByRole('button', { name: 'Send now' })
      .click();
    await count('failed').getByText('1', { exact: true }).waitFor({ timeout: 30_000 });
    await count('queued').getByText('1', { exact: true }).waitFor();
    expect(await place('Outbox').textContent()).toMatch(/1 queued.*1 failed/);

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // What the theme's alert colour resolves to, next to what the two badges show.
      const colours = (await page.evaluate(`(() => {
        const probe = document.createElement('span');
        probe.style.setProperty('background-color', 'var(--danger-bg)');
        document.body.append(probe);
        const alert = getComputedStyle(probe).backgroundColor;
        probe.remove();
        const background = (name) =>
          getComputedStyle(document.querySelector('nav [data-count="' + name + '"]')).backgroundColor;
        return { alert, failed: background('failed'), queued: background('queued') };
      })()`)) as { alert: string; failed: string; queued: string };
      expect(colours.failed, scheme).toBe(colours.alert);
      expect(colours.queued, scheme).not.toBe(colours.alert);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
