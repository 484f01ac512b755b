import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MailroomApi } from '../../shared/ipc/contract';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';

/** window.mailroom inside page.evaluate (this file compiles without the DOM library). */
type PageGlobals = { mailroom: MailroomApi };

// Sent as a reader sees it, in the real renderer against a real SMTP server: an HTML message with an
// attachment, a remote image and a script goes out; Sent lists it beside a reading pane that shows its
// headers, its HTML in a frame with an empty sandbox (the image never fetched, the script never run),
// the attachment and the server's reply. Edit as new opens compose; Delete asks, then removes it.

const USER = 'ada@example.test';
const PASSWORD = 'sent-pane-e2e-Secret-3';
const SUBJECT = 'Notes on the Analytical Engine';

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;
let page: Page;
/** Stands in for a tracking server: every request that reaches it is counted. */
let tracker: Server;
const trackerRequests: string[] = [];
let trackerUrl = '';

beforeAll(async () => {
  const certificates = makeTestCertificates();
  smtp = await startSmtpServer({
    certificate: certificates.localhost,
    users: { [USER]: PASSWORD },
    queueIds: true,
  });
  tracker = createServer((request, response) => {
    trackerRequests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/png' }).end();
  });
  await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
  trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;

  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-sent-'));
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 0 } }));
  const attachDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-sent-attach-'));
  writeFileSync(join(attachDir, 'engine-notes.pdf'), Buffer.alloc(5_000, 'engine '));
  host = await startHostProcess(profileDir, { NODE_EXTRA_CA_CERTS: certificates.caFile }, [
    '--attach-picker-dir',
    attachDir,
  ]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url);
  await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
  await new Promise((resolve) => tracker?.close(resolve));
});

/**
 * The message goes out through the real contract (the editor would never let a script or a remote
 * image in: this is what a message from elsewhere, or a hand-edited draft, could hold).
 */
async function sendHostileHtmlMessage(): Promise<void> {
  const html =
    '<!doctype html><html><head><style>.warm{color:rgb(200, 0, 0)}</style></head><body>' +
    '<p>Dear <strong>Charles</strong>,</p><p class="warm" id="warm">Here are my notes.</p>' +
    `<p><img id="pixel" alt="tracking pixel" src="${trackerUrl}/pixel.png"></p>` +
    '<script>document.body.setAttribute("data-script-ran", "yes")</script>' +
    '<p><a href="https://example.org/engine" onclick="document.body.dataset.clicked=1">The engine</a></p>' +
    '</body></html>';
  const outcome = await page.evaluate(
    async ([smtpPort, user, password, body, subject]) => {
      const api = (globalThis as unknown as PageGlobals).mailroom;
      const account = await api.createAccount({
        email: user!,
        displayName: 'Ada Lovelace',
        smtp: { host: 'localhost', port: Number(smtpPort), security: 'starttls', username: user! },
        password: password!,
        credentialMode: 'session',
      });
      if (!account.ok) return account.error.message;
      const draft = await api.createDraft({
        accountId: account.value.id,
        to: [{ name: 'Charles Babbage', address: 'charles@example.test' }],
        cc: [{ name: 'Mary Somerville', address: 'mary@example.test' }],
        bcc: [{ name: '', address: 'archive@example.test' }],
        subject: subject!,
        mode: 'rich',
        html: body!,
        text: 'Dear Charles, here are my notes.',
      });
      if (!draft.ok) return draft.error.message;
      const picked = await api.pickAttachments({ draftId: draft.value.id });
      if (!picked.ok) return picked.error.message;
      const sent = await api.sendDraft({ draftId: draft.value.id, undo: false });
      return sent.ok ? 'queued' : sent.error.message;
    },
    [String(smtp.port), USER, PASSWORD, html, SUBJECT],
  );
  expect(outcome).toBe('queued');
}

describe('Sent: a list beside a reading pane', () => {
  it('shows the message as sent: headers, sandboxed HTML without remote content or scripts, the attachment, the reply', async () => {
    await sendHostileHtmlMessage();
    await page.reload();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: /^Sent/ }).click();

    const list = page.getByRole('list', { name: 'Sent messages' });
    const row = list.getByRole('button').filter({ hasText: SUBJECT });
    await row.waitFor({ timeout: 30_000 });
    // The list row: names, not bare addresses; the attachment marker; the size.
    await expect.poll(() => row.textContent()).toContain('Charles Babbage');
    expect(await row.getByRole('img', { name: '1 attachment' }).count()).toBe(1);
    expect(await row.textContent()).toMatch(/\d+(\.\d)? KB/);
    await row.click();
    expect(await row.getAttribute('aria-current')).toBe('true');

    const pane = page.getByRole('article', { name: SUBJECT });
    const headers = pane.locator('.message-fields');
    await headers.getByText('Message-ID').waitFor();
    const headerText = (await headers.textContent()) ?? '';
    expect(headerText).toContain('Ada Lovelace <ada@example.test>');
    expect(headerText).toContain('Charles Babbage <charles@example.test>');
    expect(headerText).toContain('Mary Somerville <mary@example.test>');
    // Bcc from the envelope: it is in no header the recipients got.
    expect(headerText).toContain('archive@example.test');
    expect(smtp.messages[0]!.raw).not.toMatch(/^Bcc:/im);
    const messageId = /^Message-ID: (.*)$/im.exec(smtp.messages[0]!.raw)?.[1]?.trim();
    expect(headerText).toContain(messageId);

    // The server's own reply, with the queue id it named.
    const queueId = smtp.messages[0]!.queueId!;
    expect(await pane.locator('.server-reply').textContent()).toBe(`250 2.0.0 Ok: queued as ${queueId}`);

    // The attachment: name, type, size.
    const attachment = pane.getByRole('region', { name: 'Attachments' }).getByRole('listitem');
    expect(await attachment.textContent()).toContain('engine-notes.pdf');
    expect(await attachment.textContent()).toContain('application/pdf');
    expect(await attachment.textContent()).toContain('4.9 KB');

    // The HTML body in a frame with an empty sandbox.
    const frameElement = pane.locator('iframe.message-frame');
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url() === 'about:srcdoc');
    expect(frame).toBeDefined();
    await frame!.locator('#warm').waitFor();
    // A string, as the accessibility audit does: this file compiles without the DOM library.
    const inside = (await frame!.evaluate(`(() => {
      const image = document.getElementById('pixel');
      const link = document.querySelector('a');
      return {
        text: document.body.textContent || '',
        warm: getComputedStyle(document.getElementById('warm')).color,
        scriptRan: document.body.getAttribute('data-script-ran'),
        scripts: document.querySelectorAll('script').length,
        image: image ? { src: image.getAttribute('src'), loaded: image.complete && image.naturalWidth > 0 } : null,
        onclick: link ? link.getAttribute('onclick') : null,
        policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      };
    })()`)) as {
      text: string;
      warm: string;
      scriptRan: string | null;
      scripts: number;
      image: { src: string | null; loaded: boolean } | null;
      onclick: string | null;
      policy: string | undefined;
    };
    expect(inside.text).toContain('Dear Charles,');
    // The message's own style applies (what was sent is what is shown).
    expect(inside.warm).toBe('rgb(200, 0, 0)');
    expect(inside.scriptRan).toBeNull();
    expect(inside.scripts).toBe(0);
    expect(inside.onclick).toBeNull();
    // The image is still in the document, blocked by the frame's policy, never fetched.
    expect(inside.image).toEqual({ src: `${trackerUrl}/pixel.png`, loaded: false });
    expect(inside.policy).toContain('img-src data: cid:');
    await page.waitForTimeout(300);
    expect(trackerRequests).toEqual([]);
  });

  it('Edit as new opens compose with the content and keeps the sent message', async () => {
    const pane = page.getByRole('article', { name: SUBJECT });
    await pane.getByRole('button', { name: 'Edit as new' }).click();
    const subject = page.getByLabel('Subject');
    await subject.waitFor({ timeout: 20_000 });
    await expect.poll(() => subject.inputValue()).toBe(SUBJECT);
    await page.getByText('engine-notes.pdf').first().waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Sent/ }).click();
    await page
      .getByRole('list', { name: 'Sent messages' })
      .getByRole('button')
      .filter({ hasText: SUBJECT })
      .waitFor();
  });

  it('Delete asks first, then removes the message from Sent', async () => {
    const pane = page.getByRole('article', { name: SUBJECT });
    await pane.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this sent message?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await pane.waitFor();

    await pane.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No sent messages yet.').waitFor();
    expect(await page.getByRole('article').count()).toBe(0);
  });
});
