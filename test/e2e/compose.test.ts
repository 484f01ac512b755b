import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Browser, Page } from 'playwright-core';
import { makeTestCertificates } from '../harness/test-certificates';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import type { MailroomApi } from '../../shared/ipc/contract';

/** window.mailroom inside page.evaluate (this file compiles without the DOM library). */
type PageGlobals = { mailroom: MailroomApi };

// Compose in the real renderer (Chromium, browser host) against a real SMTP server with STARTTLS +
// AUTH: rich text, Cc/Bcc, a 5 MB attachment, drafts across a restart, and header injection.

const USER = 'ada@example.test';
const PASSWORD = 'compose-e2e-secret';

interface Received {
  raw: Buffer;
  mail: ParsedMail;
  rcptTo: string[];
}

let server: SMTPServer;
let port = 0;
let caPath: string;
const received: Received[] = [];
let browser: Browser;
const hosts: HostProcess[] = [];
let attachDir: string;
let attachmentBytes: Buffer;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  caPath = certificates.caFile;
  server = new SMTPServer({
    key: certificates.localhost.key,
    cert: certificates.localhost.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    size: 50 * 1024 * 1024,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(Object.assign(new Error('Invalid login'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            received.push({ raw, mail, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;

  attachDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-attach-'));
  attachmentBytes = randomBytes(5 * 1024 * 1024);
  writeFileSync(join(attachDir, 'engine-plans.bin'), attachmentBytes);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const host of hosts) await host.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function startHost(profileDir: string): Promise<HostProcess> {
  const host = await startHostProcess(profileDir, {
    NODE_EXTRA_CA_CERTS: caPath,
    MAILROOM_ATTACH_PICKER_DIR: attachDir,
  });
  hosts.push(host);
  return host;
}

/** The account comes in through the real contract; the wizard has tests of its own. */
async function openWithAccount(host: HostProcess): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(host.url);
  await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
  const created = await page.evaluate(
    ([smtpPort, user, password]) =>
      (globalThis as unknown as PageGlobals).mailroom.createAccount({
        email: user!,
        displayName: 'Ada Lovelace',
        smtp: { host: 'localhost', port: Number(smtpPort), security: 'starttls', username: user! },
        password: password!,
        credentialMode: 'session',
      }),
    [String(port), USER, PASSWORD],
  );
  expect(created.ok).toBe(true);
  await page.reload();
  await page.getByRole('heading', { name: 'New message' }).waitFor();
  return page;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function headerBlock(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

describe('compose: a message with everything, to a real server', () => {
  it('sends rich text with a text alternative, Cc, Bcc, a 5 MB attachment and a UTF-8 subject', async () => {
    const host = await startHost(mkdtempSync(join(tmpdir(), 'mailroom-e2e-profile-')));
    const page = await openWithAccount(host);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // A pasted list with a comma inside a quoted name becomes two chips.
    await page.getByLabel('To', { exact: true }).fill('"Doe, Jane" <jane@example.test>, bob@example.test');
    await page.getByLabel('To', { exact: true }).press('Enter');
    await page.getByText('Doe, Jane <jane@example.test>').waitFor();
    await page.getByText('bob@example.test').waitFor();
    await page.getByRole('button', { name: 'Add Cc and Bcc' }).click();
    await page.getByLabel('Cc', { exact: true }).fill('carol@example.test');
    await page.getByLabel('Bcc', { exact: true }).fill('secret@example.test');
    const subject = 'Grüße aus Zürich ✓ 日本語';
    await page.getByLabel('Subject').fill(subject);

    const body = page.getByRole('textbox', { name: 'Message' });
    await body.click();
    await page.keyboard.type('Dear Jane, ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('the engine works');
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Bulleted list' }).click();
    await page.keyboard.type('first point');

    await page.getByRole('button', { name: 'Attach files…' }).click();
    await page.getByText('engine-plans.bin').waitFor();
    expect(await page.getByText('5.0 MB').count()).toBeGreaterThan(0);

    // Ctrl+Enter sends, from anywhere in the form.
    await body.click();
    await page.keyboard.press('Control+Enter');
    await page.getByText('Sent.').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('status').filter({ hasText: 'Sent.' }).textContent()).toMatch(/250/);

    expect(received).toHaveLength(1);
    const { raw, mail, rcptTo } = received[0]!;
    // Both alternatives, faithful to each other.
    expect(mail.html).toMatch(/<strong>the engine works<\/strong>/);
    expect(mail.html).toMatch(/<li><p[^>]*>first point<\/p><\/li>|<li>first point<\/li>/);
    expect(mail.text).toContain('Dear Jane, the engine works');
    expect(mail.text).toContain('* first point');
    // multipart/mixed (body + attachment) around multipart/alternative (text/plain + text/html).
    expect(headerBlock(raw)).toMatch(/^Content-Type: multipart\/mixed/im);
    expect(raw.toString('latin1')).toMatch(/^Content-Type: multipart\/alternative/im);
    // The attachment arrives byte for byte.
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe('engine-plans.bin');
    expect(sha256(mail.attachments[0]!.content)).toBe(sha256(attachmentBytes));
    // UTF-8 subject: encoded on the wire (headers stay ASCII), decoded back to what was typed.
    expect(mail.subject).toBe(subject);
    expect(/^[\x20-\x7e\r\n\t]*$/.test(headerBlock(raw))).toBe(true);
    // Bcc is delivered (it is in the envelope) but appears in no header.
    expect(rcptTo.sort()).toEqual(
      ['bob@example.test', 'carol@example.test', 'jane@example.test', 'secret@example.test'].sort(),
    );
    expect(headerBlock(raw)).not.toMatch(/^bcc:/im);
    expect(headerBlock(raw)).not.toContain('secret@example.test');
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value : [];
    expect(to).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.test' },
      { name: '', address: 'bob@example.test' },
    ]);
    expect(mail.from?.value).toEqual([{ name: 'Ada Lovelace', address: USER }]);
    expect(pageErrors).toEqual([]);

    // The recipients are remembered: the next message suggests them.
    await page.getByRole('button', { name: 'Write another message' }).click();
    await page.getByLabel('To', { exact: true }).fill('jan');
    await page.getByRole('option', { name: 'Doe, Jane <jane@example.test>' }).waitFor();
  });

  it('keeps a draft, attachment included, across a restart of the host', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'mailroom-e2e-profile-'));
    const first = await startHost(profile);
    const page = await openWithAccount(first);
    await page.getByLabel('To', { exact: true }).fill('charles@example.test');
    await page.getByLabel('Subject').fill('Unfinished thoughts');
    await page.getByRole('textbox', { name: 'Message' }).fill('Half a sentence');
    await page.getByRole('button', { name: 'Attach files…' }).click();
    await page.getByText('engine-plans.bin').waitFor();
    await page.getByText('Draft saved').waitFor({ timeout: 20_000 });
    await page.close();
    await first.stop();

    const second = await startHost(profile);
    const again = await browser.newPage();
    await again.goto(second.url);
    await again.getByRole('heading', { name: 'New message' }).waitFor();
    await again.getByRole('button', { name: 'Drafts' }).click();
    await again.getByRole('button', { name: 'Open draft Unfinished thoughts' }).click();
    await again.getByRole('heading', { name: 'New message' }).waitFor();
    expect(await again.getByLabel('Subject').inputValue()).toBe('Unfinished thoughts');
    await again.getByText('charles@example.test').waitFor();
    expect(await again.getByRole('textbox', { name: 'Message' }).textContent()).toContain('Half a sentence');
    await again.getByText('engine-plans.bin').waitFor();

    // Discarding asks first, then the draft is gone from the list.
    await again.getByRole('button', { name: 'Discard…' }).click();
    await again.getByRole('button', { name: 'Discard draft' }).click();
    await again.getByRole('button', { name: 'Drafts' }).click();
    await again.getByText('No drafts.').waitFor();
  });

  it('lets no line break in a subject or display name become a header at the server', async () => {
    const host = await startHost(mkdtempSync(join(tmpdir(), 'mailroom-e2e-profile-')));
    const page = await openWithAccount(host);
    const before = received.length;

    // A pasted list whose display name carries CR LF and a header.
    await page.getByLabel('To', { exact: true }).focus();
    // (A string, so this file needs no DOM types: it runs in the page.)
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', '"Eve\\r\\nBcc: victim@example.test\\r\\nX-Injected: 1" <eve@example.test>, ');
      document.activeElement.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    })()`);
    await page.getByText('<eve@example.test>').waitFor();
    await page.getByLabel('Subject').fill('Hello\r\nX-Injected: yes');
    await page.getByRole('textbox', { name: 'Message' }).fill('Hi');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Sent.').waitFor({ timeout: 60_000 });

    const { raw, rcptTo } = received[before]!;
    const headers = headerBlock(raw);
    expect(headers).not.toMatch(/^x-injected:/im);
    expect(headers).not.toMatch(/^bcc:/im);
    expect(rcptTo).toEqual(['eve@example.test']);

    // The core refuses line breaks in header text even from a page that skips the UI.
    const direct = await page.evaluate(async () => {
      const state = await (globalThis as unknown as PageGlobals).mailroom.getAppState({});
      if (!state.ok) return 'no state';
      const api = (globalThis as unknown as PageGlobals).mailroom;
      const draft = await api.createDraft({
        accountId: state.value.accounts[0]!.id,
        to: [{ name: 'Eve\r\nX-Injected: 2', address: 'eve@example.test' }],
        subject: 'Hi\r\nX-Injected: yes',
        text: 'x',
      });
      if (!draft.ok) return draft.error.code;
      const result = await api.sendDraft({ draftId: draft.value.id });
      return result.ok ? 'sent' : result.error.code;
    });
    expect(direct).toBe('INVALID_REQUEST');
    expect(received).toHaveLength(before + 1);
  });
});
