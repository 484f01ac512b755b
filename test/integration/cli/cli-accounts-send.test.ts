import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../../electron/core/credentials/keytar-secret-store';
import { openProfileCore } from '../../../electron/core/profile';
import { startPostfixDovecot, TEST_DOMAIN, type PostfixDovecot } from '../../harness/postfix-dovecot';
import { runCli, secretForms, tempProfile } from './support/run-cli';

// accounts add/list/remove with the real keychain (this runs inside the test keyring session), send
// with attachments through the outbox to real Postfix, and the outbox commands: all as subprocesses
// on the same profile files and keychain entries the app's core uses.

interface AccountJson {
  id: string;
  email: string;
  isDefault: boolean;
  hasPassword: boolean;
  smtp: { host: string; port: number; security: string };
}
interface OutboxEntryJson {
  id: string;
  state: string;
  subject: string;
  lastError?: { code: string };
}

let mta: PostfixDovecot;
const profile = tempProfile('accounts');
const files = tempProfile('files');

beforeAll(async () => {
  mta = await startPostfixDovecot({ authFailureDelaySeconds: 0 });
});
afterAll(async () => {
  await mta?.stop();
});

const cli = (args: string[], input?: string) =>
  runCli([...args, '--profile', profile], { input, env: { NODE_EXTRA_CA_CERTS: mta.caFile } });

const submission = () => ['--host', mta.host, '--port', String(mta.submissionPort), '--security', 'starttls'];

/** The app's own view of the profile: the core handlers every window calls. */
async function appState() {
  const core = openProfileCore(profile);
  await core.services.outbox.outbox.close();
  const state = await core.handlers.getAppState({}, { emit: () => undefined });
  if (!state.ok) throw new Error(state.error.message);
  return state.value;
}

async function accountsList() {
  const run = await cli(['accounts', 'list', '--json']);
  expect(run.code).toBe(0);
  return run.json<{ ok: boolean; accounts: AccountJson[] }>().accounts;
}

describe.sequential('accounts, send and the outbox from the command line', () => {
  let accountId = '';

  it('refuses to save an account whose password the server rejects (AUTH_FAILED), saving nothing', async () => {
    const run = await cli(
      ['accounts', 'add', '--email', mta.user, ...submission(), '--password-stdin', '--json'],
      'wrong-password-42\n',
    );
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect((await appState()).accounts).toEqual([]);
  });

  it('adds a verified account: password in the keychain, listed by the app’s core and by the CLI, no secret printed', async () => {
    const run = await cli(
      [
        'accounts',
        'add',
        '--email',
        mta.user,
        '--name',
        'Test Sender',
        ...submission(),
        '--password-stdin',
        '--json',
      ],
      `${mta.password}\n`,
    );
    expect(run.code).toBe(0);
    const doc = run.json<{ ok: boolean; account: AccountJson; verify: { ok: boolean } }>();
    expect(doc).toMatchObject({
      ok: true,
      account: { email: mta.user, hasPassword: true, isDefault: true },
      verify: { ok: true },
    });
    accountId = doc.account.id;
    // The same keychain entry the app reads (service "Mailroom SMTP", account = the account id).
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, accountId)).toBe(mta.password);
    const state = await appState();
    expect(state.accounts.map((a) => a.id)).toEqual([accountId]);
    expect(state.accounts[0]?.verifiedAt).toBeTruthy();

    const listRun = await cli(['accounts', 'list', '--json']);
    for (const secret of secretForms(mta.user, mta.password)) {
      expect(run.stdout + run.stderr + listRun.stdout + listRun.stderr).not.toContain(secret);
    }
    expect(listRun.json<{ accounts: AccountJson[] }>().accounts).toMatchObject([
      {
        id: accountId,
        email: mta.user,
        hasPassword: true,
        smtp: { host: mta.host, port: mta.submissionPort, security: 'starttls' },
      },
    ]);
  });

  it('lists an account the app created through its core handlers', async () => {
    const core = openProfileCore(profile);
    await core.services.outbox.outbox.close();
    const created = await core.handlers.createAccount(
      {
        email: `other@${TEST_DOMAIN}`,
        displayName: 'Other',
        smtp: {
          host: mta.host,
          port: mta.smtpsPort,
          security: 'tls',
          authMethod: 'password',
          username: mta.user,
          allowUnencrypted: false,
        },
        password: mta.password,
        credentialMode: 'keychain',
      },
      { emit: () => undefined },
    );
    if (!created.ok) throw new Error(created.error.message);
    const listed = await accountsList();
    expect(listed.map((a) => [a.email, a.isDefault])).toEqual([
      [mta.user, true],
      [`other@${TEST_DOMAIN}`, false],
    ]);
    // Human output: a table with both, never a password.
    const human = await cli(['accounts', 'list']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`other@${TEST_DOMAIN}`);
    expect(human.stdout).not.toContain(mta.password);
  });

  it('sends text, HTML and attachments through the outbox and prints the Message-ID and the server’s reply', async () => {
    const report = join(files, 'report.pdf');
    const notes = join(files, 'notes.txt');
    writeFileSync(report, Buffer.from('%PDF-1.4 fake but binary \u0000\u0001\u0002', 'latin1'));
    writeFileSync(notes, 'line one\nline two\n');
    const html = join(files, 'body.html');
    writeFileSync(html, '<p>Hello <b>there</b></p>');
    const subject = `Quarterly report ${randomUUID()}`;
    const run = await cli([
      'send',
      '--from',
      mta.user,
      '--to',
      `alice@${TEST_DOMAIN}`,
      '--cc',
      `bob@${TEST_DOMAIN}`,
      '--subject',
      subject,
      '--text',
      'Hello there',
      '--html-file',
      html,
      '--attach',
      report,
      '--attach',
      notes,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const doc = run.json<{ ok: boolean; messageId: string; response: string; state: string }>();
    expect(doc).toMatchObject({ ok: true, state: 'sent' });
    expect(doc.response).toMatch(/^250 /);

    const delivered = await mta.waitForDelivered(2);
    const parsed = await Promise.all(delivered.map((raw) => simpleParser(raw)));
    const mine = parsed.filter((m) => m.subject === subject);
    expect(mine).toHaveLength(2); // alice and bob
    const message = mine[0]!;
    expect(message.messageId).toBe(doc.messageId);
    expect(message.from?.value[0]).toMatchObject({ name: 'Test Sender', address: mta.user });
    expect(message.text?.trim()).toBe('Hello there');
    expect(message.html).toContain('<b>there</b>');
    expect(message.attachments.map((a) => a.filename)).toEqual(['report.pdf', 'notes.txt']);
    expect(message.attachments[1]?.content.toString()).toBe('line one\nline two\n');
  });

  it('takes the body from stdin and says in plain lines what happened', async () => {
    const subject = `From stdin ${randomUUID()}`;
    const before = (await mta.readDelivered()).length;
    const run = await cli(['send', '--to', `carol@${TEST_DOMAIN}`, '--subject', subject], 'Piped body\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Sent\. Message-ID: <.+>$/m);
    expect(run.stdout).toMatch(/^Server reply: 250 /m);
    const delivered = await mta.waitForDelivered(before + 1);
    const message = (await Promise.all(delivered.map((raw) => simpleParser(raw)))).find(
      (m) => m.subject === subject,
    );
    expect(message?.text?.trim()).toBe('Piped body');
  });

  it('queues with --queue-only, lists, cancels and flushes the outbox', async () => {
    const keep = await cli([
      'send',
      '--to',
      `dave@${TEST_DOMAIN}`,
      '--subject',
      'Queued one',
      '--text',
      'later',
      '--queue-only',
      '--json',
    ]);
    const drop = await cli([
      'send',
      '--to',
      `erin@${TEST_DOMAIN}`,
      '--subject',
      'Dropped one',
      '--text',
      'never',
      '--queue-only',
      '--json',
    ]);
    expect([keep.code, drop.code]).toEqual([0, 0]);
    const keepId = keep.json<{ outboxId: string; state: string }>().outboxId;
    const dropId = drop.json<{ outboxId: string }>().outboxId;
    expect(keep.json()).toMatchObject({ ok: true, state: 'queued' });

    const listed = await cli(['outbox', 'list', '--json']);
    expect(listed.code).toBe(0);
    const entries = listed.json<{ pending: number; entries: OutboxEntryJson[] }>();
    expect(entries.pending).toBe(2);
    expect(entries.entries.map((e) => [e.subject, e.state])).toEqual([
      ['Queued one', 'queued'],
      ['Dropped one', 'queued'],
    ]);

    // A unique start of the id is enough.
    const cancelled = await cli(['outbox', 'cancel', dropId.slice(0, 8), '--json']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.json()).toMatchObject({ ok: true, entry: { id: dropId, state: 'cancelled' } });

    const before = (await mta.readDelivered()).length;
    const flushed = await cli(['outbox', 'flush', '--json']);
    expect(flushed.code).toBe(0);
    const flushDoc = flushed.json<{ ok: boolean; sent: { id: string }[]; failed: unknown[] }>();
    expect(flushDoc.sent.map((e) => e.id)).toEqual([keepId]);
    const delivered = await mta.waitForDelivered(before + 1);
    const subjects = (await Promise.all(delivered.map((raw) => simpleParser(raw)))).map((m) => m.subject);
    expect(subjects).toContain('Queued one');
    expect(subjects).not.toContain('Dropped one');

    const after = await cli(['outbox', 'list', '--json']);
    expect(after.json<{ entries: OutboxEntryJson[] }>().entries.map((e) => [e.subject, e.state])).toEqual([
      ['Dropped one', 'cancelled'],
    ]);
  });

  it('reports a send the server refuses (AUTH_FAILED) and retries it once the password is fixed', async () => {
    const added = await cli(
      [
        'accounts',
        'add',
        '--email',
        `bad@${TEST_DOMAIN}`,
        '--user',
        mta.user,
        ...submission(),
        '--password-stdin',
        '--no-verify',
        '--json',
      ],
      'a-wrong-password',
    );
    expect(added.code).toBe(0);
    const badId = added.json<{ account: AccountJson }>().account.id;

    const sent = await cli([
      'send',
      '--from',
      badId,
      '--to',
      `frank@${TEST_DOMAIN}`,
      '--subject',
      'Needs a retry',
      '--text',
      'x',
      '--json',
    ]);
    expect(sent.code).toBe(1);
    const failure = sent.json<{ ok: boolean; outboxId: string; error: { code: string } }>();
    expect(failure).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });

    // The user fixes the password in the app; then retries from the command line.
    const core = openProfileCore(profile);
    await core.services.outbox.outbox.close();
    const fixed = await core.handlers.setAccountPassword(
      { accountId: badId, password: mta.password, credentialMode: 'keychain' },
      { emit: () => undefined },
    );
    expect(fixed.ok).toBe(true);
    const retried = await cli(['outbox', 'retry', failure.outboxId, '--json']);
    expect(retried.code).toBe(0);
    expect(retried.json()).toMatchObject({ ok: true, state: 'sent', outboxId: failure.outboxId });
  });

  it('removes accounts by address and by id, with their keychain entries', async () => {
    const before = await accountsList();
    const removed = await cli(['accounts', 'remove', `other@${TEST_DOMAIN}`, '--json']);
    expect(removed.code).toBe(0);
    const other = before.find((a) => a.email === `other@${TEST_DOMAIN}`)!;
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, other.id)).toBeNull();

    const missing = await cli(['accounts', 'remove', 'nobody@nowhere.test', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'ACCOUNT_NOT_FOUND' } });

    for (const account of await accountsList()) {
      expect((await cli(['accounts', 'remove', account.id])).code).toBe(0);
    }
    expect((await appState()).accounts).toEqual([]);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, accountId)).toBeNull();
  });
});
