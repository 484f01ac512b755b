import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import type { MailroomApi } from '../../shared/ipc/contract';

/** window.mailroom inside page.evaluate (this file compiles without the DOM library). */
type PageGlobals = { mailroom: MailroomApi };

// How the window starts: the app's bundle is fetched beside the browser host's bridge (not after
// it), the first screen is the one the profile calls for, and no other screen flashes up before it.

let browser: Browser;
let host: HostProcess;

beforeAll(async () => {
  browser = await launchChromium();
  host = await startHostProcess(mkdtempSync(join(tmpdir(), 'mailroom-e2e-start-')));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

interface Seen {
  wizard: boolean;
  compose: boolean;
}

/** A page that records, from its first DOM change on, which screens ever appeared in it. */
async function watchedPage(): Promise<Page> {
  const page = await browser.newPage();
  // A string, not a function: the test project is compiled without the DOM library.
  await page.addInitScript(`
    const seen = { wizard: false, compose: false };
    globalThis.__seen = seen;
    new MutationObserver(() => {
      const headings = [...document.querySelectorAll('h1, h2')].map((h) => h.textContent ?? '');
      if (headings.includes('Set up an outgoing account')) seen.wizard = true;
      if (headings.includes('New message')) seen.compose = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  `);
  return page;
}

const seenIn = (page: Page) => page.evaluate('globalThis.__seen') as Promise<Seen>;

describe('start-up', () => {
  it('loads the bundle beside the bridge, and a fresh profile opens on a wizard that takes input', async () => {
    const page = await watchedPage();
    await page.goto(host.url, { waitUntil: 'commit' });
    const email = page.getByLabel('Email address');
    await email.fill('ada@example.test');
    expect(await email.inputValue()).toBe('ada@example.test');

    const timing = (await page.evaluate(`performance.getEntriesByType('resource')
      .filter((r) => /bridge\\.js$|\\/assets\\/index-[^/]*\\.js$/.test(r.name))
      .map((r) => ({ name: r.name, startTime: r.startTime, responseEnd: r.responseEnd }))`)) as {
      name: string;
      startTime: number;
      responseEnd: number;
    }[];
    const bridge = timing.find((r) => r.name.endsWith('bridge.js'));
    const bundle = timing.find((r) => r.name.includes('/assets/index-'));
    expect(bridge, JSON.stringify(timing)).toBeDefined();
    expect(bundle, JSON.stringify(timing)).toBeDefined();
    // An order, not a duration: requested after the bridge had arrived would mean the bundle waited.
    expect(bundle!.startTime).toBeLessThan(bridge!.responseEnd);
    expect(await seenIn(page)).toEqual({ wizard: true, compose: false });
    await page.close();
  });

  it('a profile with an account opens on compose, with no flash of the wizard first', async () => {
    const setup = await browser.newPage();
    await setup.goto(host.url);
    await setup.getByLabel('Email address').waitFor();
    const created = await setup.evaluate(() =>
      (globalThis as unknown as PageGlobals).mailroom.createAccount({
        email: 'ada@example.test',
        displayName: 'Ada Lovelace',
        smtp: { host: 'localhost', port: 2525, security: 'starttls', username: 'ada@example.test' },
        password: 'start-up-e2e-secret',
        credentialMode: 'session',
      }),
    );
    expect(created.ok).toBe(true);
    await setup.close();

    const page = await watchedPage();
    await page.goto(host.url, { waitUntil: 'commit' });
    await page.getByRole('heading', { name: 'New message' }).waitFor();
    expect(await seenIn(page)).toEqual({ wizard: false, compose: true });
    await page.close();
  });
});
