import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../harness/smtp-test-server';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/browser-host-process';
import { enterAccountManually } from './support/setup-wizard-steps';

// An accessibility audit that can fail: axe-core (WCAG 2 A and AA, plus best practices, colour contrast
// included), in the light and the dark scheme, over every view a user meets, each in a state with
// content in it: the wizard's first step, the server step after a failed check with the certificate
// panel, compose with Cc/Bcc and an attachment, drafts, outbox and sent with an entry each, and the
// account and identity editors.

const USER = 'ada@example.test';
const PASSWORD = 'a11y-e2e-Secret-7';

/** What axe reports per violation (the parts a reader of a failed test needs). */
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let smtp: TestSmtpServer;
let host: HostProcess;
let browser: Browser;
let page: Page;
let axeSource: string;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  // Self-signed and no test CA given to the host: the check fails at the certificate, as a user sees it.
  smtp = await startSmtpServer({ certificate: certificates.selfSigned, users: { [USER]: PASSWORD } });
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-a11y-'));
  // A minute to undo, so a queued message stays in the Outbox while it is audited.
  writeFileSync(join(profileDir, 'config.json'), JSON.stringify({ outbox: { undoDelayMs: 60_000 } }));
  const attachDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-a11y-attach-'));
  writeFileSync(join(attachDir, 'minutes.txt'), 'Minutes of the meeting.\n');
  host = await startHostProcess(profileDir, {}, ['--attach-picker-dir', attachDir]);
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  browser = await launchChromium();
  // The renderer's CSP (`script-src 'self'`) blocks page.addScriptTag (an inline <script>). axe goes in
  // through page.evaluate instead, which runs over the DevTools protocol and is not subject to the page's
  // CSP, so the page is audited with its real policy in place (no bypassCSP).
  page = await browser.newPage();
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await smtp?.stop();
});

/**
 * The one kind of "needs review" result expected here: axe cannot judge the contrast or the label of a
 * control that shows only a symbol (×, ❝, 🔗). Every other "needs review" counts as a failure.
 */
const SYMBOL_ONLY =
  /only non-text characters|too short to determine|Unable to determine if the visible text is part of/;

/**
 * Runs axe on the page as it is now, in the light scheme and in the dark one (the window follows the
 * system's); returns the violations, formatted for a failure message.
 */
async function audit(what: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    found.push(...(await auditScheme(`${what}, ${scheme}`)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

async function auditScheme(what: string): Promise<string[]> {
  const loaded = await page.evaluate('typeof axe !== "undefined"');
  if (!loaded) await page.evaluate(axeSource);
  // The only frame is Sent's message frame, sandboxed without scripts, so axe cannot run inside it
  // (frame-tested would always fail); what it holds is the user's mail, not the window. The frame
  // element itself (its title) is still audited.
  const results = (await page.evaluate(`axe.run(document, {
      iframes: false,
      rules: { 'frame-tested': { enabled: false } },
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations', 'incomplete'],
    }).then((results) => ({ violations: results.violations, incomplete: results.incomplete }))`)) as {
    violations: AxeViolation[];
    incomplete: AxeViolation[];
  };
  const unexplained = results.incomplete
    .map((v) => ({ ...v, nodes: v.nodes.filter((node) => !SYMBOL_ONLY.test(node.failureSummary ?? '')) }))
    .filter((v) => v.nodes.length > 0);
  return [...results.violations, ...unexplained].flatMap((v) =>
    v.nodes.map(
      (node) =>
        `${what}: ${v.id} (${v.impact ?? 'no impact given'}) at ${JSON.stringify(node.target)}: ${v.help}` +
        (node.failureSummary ? `\n    ${node.failureSummary.replace(/\n/g, '\n    ')}` : ''),
    ),
  );
}

async function expectAccessible(what: string): Promise<void> {
  const violations = await audit(what);
  expect(violations, `axe found ${violations.length} violation(s):\n${violations.join('\n')}`).toEqual([]);
}

const nav = () => page.getByRole('navigation', { name: 'Main' });

describe('accessibility audit (axe-core) of every view', () => {
  it('the setup wizard, first step', async () => {
    await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
    await expectAccessible('wizard, first step');
  });

  it('the setup wizard, server step after a failed check with the certificate panel', async () => {
    expect(
      await enterAccountManually(page, {
        name: 'Ada Lovelace',
        email: USER,
        password: PASSWORD,
        host: 'localhost',
        port: smtp.port,
        security: 'starttls',
      }),
    ).toBe('failed');
    await page.getByRole('heading', { name: 'The server’s certificate' }).waitFor();
    await page.getByText('Show the conversation with the server').click();
    await expectAccessible('wizard, failed check');
  });

  it('compose, with Cc/Bcc shown and an attachment listed', async () => {
    // Trusting the certificate checks again by itself.
    await page.getByRole('button', { name: 'Trust this certificate for this account' }).click();
    await page.getByText('Everything checks out.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Save account' }).click();
    await page.getByRole('heading', { name: 'New message' }).waitFor();

    await page.getByLabel('To', { exact: true }).fill('charles@example.test');
    await page.getByLabel('To', { exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Add Cc and Bcc' }).click();
    await page.getByLabel('Cc', { exact: true }).fill('carol@example.test');
    await page.getByLabel('Subject').fill('Minutes');
    await page.getByRole('textbox', { name: 'Message' }).fill('Attached.');
    await page.getByRole('button', { name: 'Attach files…' }).click();
    await page.getByText('minutes.txt').waitFor();
    await expectAccessible('compose');
  });

  it('the outbox and sent views, each with an entry', async () => {
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Queued' }).first().waitFor({ timeout: 30_000 });
    await nav()
      .getByRole('button', { name: /Outbox/ })
      .click();
    const queued = page.getByRole('listitem').filter({ hasText: 'Minutes' });
    await queued.getByText(/undo possible/).waitFor();
    const outbox = await audit('outbox');

    await queued.getByRole('button', { name: 'Send now' }).click();
    await nav().getByRole('button', { name: /^Sent/ }).click();
    // The reading pane of the newest sent message, with its headers, body frame and attachment.
    const pane = page.getByRole('article', { name: 'Minutes' });
    await pane.getByText(/The server replied/).waitFor({ timeout: 30_000 });
    await pane.getByRole('region', { name: 'Attachments' }).waitFor();
    const sent = await audit('sent');
    const violations = [...outbox, ...sent];
    expect(violations, `axe found ${violations.length} violation(s):\n${violations.join('\n')}`).toEqual([]);
  });

  it('the drafts view, with a draft in it', async () => {
    await nav().getByRole('button', { name: 'New message' }).click();
    await page.getByLabel('Subject').fill('Half a thought');
    await page.getByText('Draft saved').waitFor({ timeout: 20_000 });
    await nav().getByRole('button', { name: 'Drafts' }).click();
    await page.getByRole('button', { name: 'Open draft Half a thought' }).waitFor();
    await expectAccessible('drafts');
  });

  it('the accounts view with the account editor, then the identities editor, open', async () => {
    await nav().getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: /^Edit settings of / }).click();
    await page.getByLabel('Server', { exact: true }).waitFor();
    const editor = await audit('accounts, account editor');

    await page.getByRole('button', { name: /^Identities and signatures of / }).click();
    await page.getByRole('button', { name: 'Add identity' }).click();
    await page.getByLabel('Send as address').waitFor();
    const identities = await audit('accounts, identities editor');

    // A second identity brings the per-identity buttons (Make default, Remove) whose names must
    // start with what they show.
    await page.getByLabel('Send as address').fill('ada.alias@example.com');
    await page.getByRole('button', { name: 'Save identity' }).click();
    await page.getByRole('button', { name: /^Make default identity: ada\.alias@/ }).waitFor();
    const twoIdentities = await audit('accounts, two identities');
    const violations = [...editor, ...identities, ...twoIdentities];
    expect(violations, `axe found ${violations.length} violation(s):\n${violations.join('\n')}`).toEqual([]);
  });
});
