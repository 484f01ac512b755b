import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { startSinkServer, type SinkServer } from './support/sink-server';
import { plainAccounts } from './support/plain-accounts';
import { untilEntry } from './support/until-entry';

// The envelope record (what a damaged entry is rebuilt from) and the texts (what Undo, Edit and
// Resend bring back) are written once with each entry, in one file, <id>.envelope-texts: one line
// each, read and checked on its own. Outboxes written by earlier versions keep them in two files,
// <id>.envelope and <id>.draft, and are read as they are. Real files, a real SMTP server.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sink(): Promise<SinkServer> {
  const server = await startSinkServer();
  cleanups.push(() => server.stop());
  return server;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-envelope-texts-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openOutbox(dir: string, port: number, deliver = true): Outbox {
  const outbox = new Outbox({
    dir,
    accounts: plainAccounts(port),
    settings: () => ({ undoDelayMs: 0, retryBaseMs: 50, retryCapMs: 200 }),
    log: () => undefined,
    deliver,
  });
  cleanups.push(() => outbox.close());
  return outbox;
}

const text = `${'Typed by hand, and long. '.repeat(400)}\n`;
const typed = {
  accountId: 'acct',
  identityId: '',
  to: [{ name: 'Charles', address: 'charles@example.test' }],
  cc: [],
  bcc: [{ name: '', address: 'hidden@example.test' }],
  subject: 'Notes',
  mode: 'plain' as const,
  html: '',
  text,
};

/** A message queued by a process that does not deliver, so it is on disk, queued, not sent. */
async function queuedMessage(dir: string, port: number): Promise<OutboxEntry> {
  const outbox = openOutbox(dir, port, false);
  const queued = await outbox.enqueue({
    accountId: 'acct',
    to: ['charles@example.test'],
    cc: [],
    bcc: ['hidden@example.test'],
    subject: 'Notes',
    text,
    attachments: [],
    typed,
  });
  if (!queued.ok) throw new Error(queued.error.message);
  await outbox.close();
  return queued.value;
}

const recordPath = (dir: string, id: string) => join(dir, `${id}.envelope-texts`);
const lines = (dir: string, id: string) => readFileSync(recordPath(dir, id), 'utf8').split('\n');

/** The entry cut to a third: damaged, so it is rebuilt from the envelope record (or the headers). */
function damageEntry(dir: string, id: string): void {
  const entry = join(dir, `${id}.json`);
  truncateSync(entry, Math.floor(statSync(entry).size / 3));
}

/** One line of the record made unreadable, the other left as written. */
function damageLine(dir: string, id: string, index: 0 | 1): void {
  const parts = lines(dir, id);
  parts[index] = `${parts[index]!.slice(0, 40)}\u0000garbage`;
  writeFileSync(recordPath(dir, id), parts.join('\n'));
}

/** Lists the damaged entry, retries it and waits until it is sent; the recipients the server got. */
async function retriedRecipients(dir: string, server: SinkServer, id: string): Promise<string[]> {
  const outbox = openOutbox(dir, server.port);
  const [entry] = await outbox.list('outbox');
  expect(entry).toMatchObject({ id, state: 'failed', lastError: { code: 'OUTBOX_ENTRY_DAMAGED' } });
  expect((await outbox.retry(id)).ok).toBe(true);
  await untilEntry(outbox, id, (e) => e.state === 'sent' || e.state === 'failed');
  return server.messages.flatMap((m) => m.to).sort();
}

async function expectUndoRefused(dir: string, port: number, id: string): Promise<void> {
  const outbox = openOutbox(dir, port, false);
  expect((await outbox.list('outbox')).map((e) => [e.id, e.state])).toEqual([[id, 'queued']]);
  const back = await outbox.takeBack(id);
  expect(!back.ok && back.error.code).toBe('OUTBOX_ENTRY_DAMAGED');
  expect(!back.ok && back.error.message).toContain(`${id}.envelope-texts`);
  expect(outbox.get(id)?.state).toBe('queued');
  await outbox.close();
}

const everyone = ['charles@example.test', 'hidden@example.test'];

describe('the envelope record and the texts of an entry', () => {
  it('are one file beside the message and the entry, and both come back from it', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    expect(
      readdirSync(dir)
        .filter((n) => n.startsWith(queued.id))
        .sort(),
    ).toEqual(['eml', 'envelope-texts', 'json'].map((ext) => `${queued.id}.${ext}`));
    const [envelope, texts, rest] = lines(dir, queued.id);
    expect(JSON.parse(envelope!)).toMatchObject({ id: queued.id, bcc: ['hidden@example.test'] });
    expect(JSON.parse(texts!)).toMatchObject({ id: queued.id, typed: { text } });
    expect(rest).toBe('');

    const outbox = openOutbox(dir, server.port, false);
    await outbox.list('outbox');
    const back = await outbox.takeBack(queued.id);
    expect(back.ok && back.value.typed).toEqual(typed);
    await outbox.close();
    damageEntry(dir, queued.id);
    expect(await retriedRecipients(dir, server, queued.id)).toEqual(everyone);
  });

  it('with the envelope line damaged, the texts still come back; a damaged entry is rebuilt from the headers', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    damageLine(dir, queued.id, 0);

    const outbox = openOutbox(dir, server.port, false);
    await outbox.list('outbox');
    const back = await outbox.takeBack(queued.id);
    expect(back.ok && back.value.fields.text).toBe(text);
    expect(back.ok && back.value.typed).toEqual(typed);
    await outbox.close();

    const other = await queuedMessage(dir, server.port);
    damageLine(dir, other.id, 0);
    damageEntry(dir, other.id);
    const reader = openOutbox(dir, server.port, false);
    const rebuilt = (await reader.list('outbox')).find((e) => e.id === other.id);
    // No envelope record: what the headers say (no Bcc), and no account to send it with.
    expect(rebuilt).toMatchObject({ state: 'failed', to: ['charles@example.test'], bcc: [] });
    expect(rebuilt?.lastError?.message).toMatch(/cannot tell which account/);
  });

  it('with the texts line damaged, the message still lists and sends; Undo says so and leaves it queued', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    damageLine(dir, queued.id, 1);
    await expectUndoRefused(dir, server.port, queued.id);

    const outbox = openOutbox(dir, server.port);
    await outbox.list('outbox');
    expect((await untilEntry(outbox, queued.id, (e) => e.state === 'sent')).state).toBe('sent');
    expect(server.messages.flatMap((m) => m.to).sort()).toEqual(everyone);
  });

  it('with the texts line damaged and the entry too, the entry is rebuilt from the envelope line (Bcc included)', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    damageLine(dir, queued.id, 1);
    damageEntry(dir, queued.id);
    expect(await retriedRecipients(dir, server, queued.id)).toEqual(everyone);
  });

  it('cut short (torn in the texts), keeps its envelope: Undo is refused, a damaged entry is rebuilt with Bcc', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    const record = recordPath(dir, queued.id);
    expect(lines(dir, queued.id)[0]!.length).toBeLessThan(statSync(record).size / 2);
    truncateSync(record, Math.floor(statSync(record).size / 2));
    await expectUndoRefused(dir, server.port, queued.id);
    damageEntry(dir, queued.id);
    expect(await retriedRecipients(dir, server, queued.id)).toEqual(everyone);
  });

  it('missing altogether, the message lists and sends; Undo is refused; a damaged entry is rebuilt from the headers', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    unlinkSync(recordPath(dir, queued.id));
    await expectUndoRefused(dir, server.port, queued.id);

    const other = await queuedMessage(dir, server.port);
    unlinkSync(recordPath(dir, other.id));
    damageEntry(dir, other.id);
    const outbox = openOutbox(dir, server.port);
    const listed = await outbox.list('outbox');
    expect(listed.find((e) => e.id === other.id)).toMatchObject({ state: 'failed', bcc: [] });
    await untilEntry(outbox, queued.id, (e) => e.state === 'sent');
    expect(server.messages.flatMap((m) => m.to).sort()).toEqual(everyone);
  });
});

describe('an outbox written by an earlier version (<id>.envelope and <id>.draft)', () => {
  /** The entry's record split into the two files earlier versions wrote. */
  function asOlderLayout(dir: string, id: string): void {
    const [envelope, texts] = lines(dir, id);
    writeFileSync(join(dir, `${id}.envelope`), `${envelope}\n`);
    writeFileSync(join(dir, `${id}.draft`), `${texts}\n`);
    unlinkSync(recordPath(dir, id));
  }

  it('lists, sends, and brings the texts back for Edit of the sent message', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    asOlderLayout(dir, queued.id);

    const outbox = openOutbox(dir, server.port);
    expect((await outbox.list('outbox')).map((e) => e.id)).toEqual([queued.id]);
    await untilEntry(outbox, queued.id, (e) => e.state === 'sent');
    expect(server.messages.flatMap((m) => m.to).sort()).toEqual(everyone);
    const back = await outbox.takeBack(queued.id);
    expect(back.ok && back.value.typed).toEqual(typed);
    expect(outbox.get(queued.id)?.state).toBe('sent');
  });

  it('Undo of a queued message brings its texts back, and removing it leaves none of its files', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    asOlderLayout(dir, queued.id);

    const outbox = openOutbox(dir, server.port, false);
    await outbox.list('outbox');
    const back = await outbox.takeBack(queued.id);
    expect(back.ok && back.value.fields.text).toBe(text);
    expect(back.ok && back.value.typed).toEqual(typed);
    expect(outbox.get(queued.id)?.state).toBe('cancelled');
    expect((await outbox.remove(queued.id)).ok).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith(queued.id))).toEqual([]);
    expect(existsSync(join(dir, `${queued.id}.draft`))).toBe(false);
  });

  it('a damaged entry is rebuilt from <id>.envelope, Bcc included; a missing <id>.draft refuses Undo by its name', async () => {
    const server = await sink();
    const dir = tempDir();
    const queued = await queuedMessage(dir, server.port);
    const noTexts = await queuedMessage(dir, server.port);
    asOlderLayout(dir, queued.id);
    asOlderLayout(dir, noTexts.id);
    unlinkSync(join(dir, `${noTexts.id}.draft`));

    const reader = openOutbox(dir, server.port, false);
    await reader.list('outbox');
    const back = await reader.takeBack(noTexts.id);
    expect(!back.ok && back.error.message).toContain(`${noTexts.id}.draft`);
    expect(reader.get(noTexts.id)?.state).toBe('queued');
    expect((await reader.cancel(noTexts.id)).ok).toBe(true);
    await reader.close();

    damageEntry(dir, queued.id);
    expect(await retriedRecipients(dir, server, queued.id)).toEqual(everyone);
  });
});
