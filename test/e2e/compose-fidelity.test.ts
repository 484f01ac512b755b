import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { LAYOUT_OF, openComposeWithAccount } from './support/compose-account';

// What you see is what is sent: a message typed in the real editor (blank lines, lists, a quote, a
// link) goes to a real SMTP server; its HTML part, parsed back with mailparser and drawn by Chromium,
// has the same lines in the same rows as the editor showed, and its text part the same lines.

const USER = 'ada@example.test';
const PASSWORD = 'fidelity-e2e-Secret-5';
const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({ certificate: certificates.localhost, users: { [USER]: PASSWORD } });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-fidelity-'));
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 0 } }));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile });
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

interface Row {
  row: number;
  indented: boolean;
  text: string;
}

describe('compose fidelity', () => {
  it('sends the lines, blank lines, lists, quote and link the editor shows, in both parts', async () => {
    const page = await openComposeWithAccount(browser, host.url, {
      email: USER,
      password: PASSWORD,
      port: smtp.port,
    });
    await page.getByLabel('To', { exact: true }).fill('bob@example.test');
    await page.getByLabel('Subject').fill('What you see');
    const body = page.getByRole('textbox', { name: 'Message' });
    await body.click();
    const type = (text: string) => page.keyboard.type(text);
    const enter = () => page.keyboard.press('Enter');

    await type('Hello Bob,');
    await enter();
    await enter();
    await type('Thanks for the notes.');
    await enter();
    await type('Two lines, no gap.');
    await enter();
    await enter();
    await page.getByRole('button', { name: 'Bulleted list' }).click();
    await type('first point');
    await enter();
    await type('second point');
    await enter();
    await enter(); // an empty item ends the list
    await page.getByRole('button', { name: 'Numbered list' }).click();
    await type('step one');
    await enter();
    await type('step two');
    await enter();
    await enter();
    await page.getByRole('button', { name: 'Quote' }).click();
    await type('You wrote this.');
    await enter();
    await type('And this.');
    await enter();
    await page.getByRole('button', { name: 'Quote' }).click();
    await type('the page, see.');
    await page.keyboard.press('Home');
    for (let i = 0; i < 'the page'.length; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.getByRole('button', { name: 'Link' }).click();
    await page.getByRole('textbox', { name: 'Link address' }).fill('example.org/page');
    await page.getByRole('textbox', { name: 'Link address' }).press('Enter');
    // Applying the link hands the focus back to the text (ProseMirror does it on the next frame).
    await expect
      .poll(() => body.evaluate((element) => element.ownerDocument.activeElement === element))
      .toBe(true);
    await page.keyboard.press('End');
    await enter();
    await enter();
    await enter();
    await type('Ada');

    const editorRows = (await page.evaluate(`(${LAYOUT_OF})(document.querySelector('.rich-body'))`)) as Row[];
    const editorLinks = await page.evaluate(
      `[...document.querySelectorAll('.rich-body a')].map((a) => [a.textContent, a.getAttribute('href')])`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'compose-fidelity-editor-1280x800.png') });

    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Sent.').waitFor({ timeout: 30_000 });
    expect(smtp.messages).toHaveLength(1);
    const mail = await simpleParser(smtp.messages[0]!.raw);
    expect(mail.html).toBeTruthy();

    // The HTML part as a recipient's mail program would draw it.
    const shown = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await shown.setContent(mail.html as string);
    const sentRows = (await shown.evaluate(`(${LAYOUT_OF})(document.body)`)) as Row[];
    const sentLinks = await shown.evaluate(
      `[...document.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])`,
    );
    await shown.screenshot({ path: join(SCREENSHOTS, 'compose-fidelity-sent-html.png') });

    // The editor shows what was typed (blank lines are skipped rows)...
    expect(editorRows.map((r) => [r.row, r.text])).toEqual([
      [0, 'Hello Bob,'],
      [2, 'Thanks for the notes.'],
      [3, 'Two lines, no gap.'],
      [5, 'first point'],
      [6, 'second point'],
      [7, 'step one'],
      [8, 'step two'],
      [9, 'You wrote this.'],
      [10, 'And this.'],
      [11, 'the page, see.'],
      [14, 'Ada'],
    ]);
    // ...and the recipient sees the same rows, indented the same, with the same link.
    expect(sentRows).toEqual(editorRows);
    expect(sentLinks).toEqual(editorLinks);
    expect(sentLinks).toEqual([['the page', 'https://example.org/page']]);

    // The text part: the same lines, blank lines included, lists and quote marked as plain text does.
    expect(mail.text?.replace(/\n$/, '')).toBe(
      [
        'Hello Bob,',
        '',
        'Thanks for the notes.',
        'Two lines, no gap.',
        '',
        '* first point',
        '* second point',
        ' 1. step one',
        ' 2. step two',
        '> You wrote this.',
        '> And this.',
        'the page <https://example.org/page>, see.',
        '',
        '',
        'Ada',
      ].join('\n'),
    );
  });
});
