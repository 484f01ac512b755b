import type { Browser, Page } from 'playwright-core';
import type { MailroomApi } from '../../../shared/ipc/contract';

/** window.mailroom inside page.evaluate (test files compile without the DOM library). */
type PageGlobals = { mailroom: MailroomApi };

export interface TestAccount {
  email: string;
  password: string;
  port: number;
  displayName?: string;
  signature?: string;
}

/**
 * Opens the app with an account added through the real contract (the wizard has tests of its own),
 * and waits for the compose window it then shows.
 */
export async function openComposeWithAccount(
  browser: Browser,
  url: string,
  account: TestAccount,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
  const created = await page.evaluate(
    async ([port, email, password, name, signature]) => {
      const api = (globalThis as unknown as PageGlobals).mailroom;
      const made = await api.createAccount({
        email: email!,
        displayName: name!,
        smtp: { host: 'localhost', port: Number(port), security: 'starttls', username: email! },
        password: password!,
        credentialMode: 'session',
      });
      if (!made.ok || !signature) return made.ok;
      const identity = made.value.identities[0]!;
      const updated = await api.updateIdentity({
        accountId: made.value.id,
        identityId: identity.id,
        signature,
      });
      return updated.ok;
    },
    [
      String(account.port),
      account.email,
      account.password,
      account.displayName ?? 'Ada Lovelace',
      account.signature ?? '',
    ],
  );
  if (created !== true) throw new Error('the test account could not be created');
  await page.reload();
  await page.getByRole('heading', { name: 'New message' }).waitFor();
  return page;
}

/**
 * The text of an element as laid out on screen: one entry per visual line with its row (in lines
 * from the top, so a blank line is a skipped row) and whether it is indented (lists, quotes). A
 * string evaluated in the page, so it measures what Chromium drew, not what the markup says.
 */
export const LAYOUT_OF = `(root) => {
  const firstBlock = root.querySelector('p, li, blockquote');
  const lineHeight = firstBlock.getBoundingClientRect().height;
  const base = root.getBoundingClientRect();
  const pieces = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = root.ownerDocument.createRange();
    range.selectNodeContents(node);
    const rect = range.getClientRects()[0];
    pieces.push({ top: rect.top, left: rect.left, text: node.textContent });
  }
  const top0 = pieces[0].top;
  const left0 = Math.min(...pieces.map((p) => p.left));
  const rows = [];
  for (const p of pieces) {
    const row = Math.round((p.top - top0) / lineHeight);
    const last = rows[rows.length - 1];
    if (last && last.row === row) last.text += p.text;
    else rows.push({ row, indented: p.left - left0 > 6, text: p.text });
  }
  return rows.map((r) => ({ ...r, text: r.text.trim() }));
}`;
