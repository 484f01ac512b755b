import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { plainAccounts } from './support/plain-accounts';

// An entry is rewritten at every state change and read by every listing, so the message's texts
// (the body as sent and as typed, most of an entry's size) live in <id>.envelope-texts with the
// envelope record, written once; Undo, Edit and Resend read them back from there, and entries
// written before still carry them inline.

const dirs: string[] = [];
const open: Outbox[] = [];
afterEach(async () => {
  for (const outbox of open.splice(0)) await outbox.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function outboxIn(dir: string): Outbox {
  // Nothing listens on port 9: the messages stay queued (held by the undo delay anyway).
  const outbox = new Outbox({
    dir,
    accounts: plainAccounts(9),
    settings: () => ({ undoDelayMs: 60_000 }),
    log: () => undefined,
  });
  open.push(outbox);
  return outbox;
}

const text = `${'A long body, typed by hand. '.repeat(2000)}\n`;
const typed = {
  accountId: 'a',
  identityId: '',
  to: [{ name: 'Bob', address: 'bob@example.test' }],
  cc: [],
  bcc: [],
  subject: 'Long',
  mode: 'plain' as const,
  html: '',
  text,
};

async function queued(dir: string): Promise<string> {
  const outbox = outboxIn(dir);
  const entry = await outbox.enqueue({
    accountId: 'a',
    to: ['bob@example.test'],
    cc: [],
    bcc: [],
    subject: 'Long',
    text,
    attachments: [],
    typed,
  });
  if (!entry.ok) throw new Error(entry.error.message);
  await outbox.close();
  return entry.value.id;
}

describe('the texts of an outbox entry', () => {
  it('are kept apart from the entry, and come back whole after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-texts-'));
    dirs.push(dir);
    const id = await queued(dir);
    const entryFile = readFileSync(join(dir, `${id}.json`), 'utf8');
    expect(entryFile).not.toContain('typed by hand');
    expect(statSync(join(dir, `${id}.json`)).size).toBeLessThan(4096);
    expect(existsSync(join(dir, `${id}.envelope-texts`))).toBe(true);

    const later = outboxIn(dir);
    expect((await later.list('outbox')).map((e) => e.id)).toEqual([id]);
    const back = await later.takeBack(id);
    expect(back.ok && back.value.fields.text).toBe(text);
    expect(back.ok && back.value.typed).toEqual(typed);
    expect(later.get(id)?.state).toBe('cancelled');
    expect((await later.remove(id)).ok).toBe(true);
    expect(existsSync(join(dir, `${id}.envelope-texts`))).toBe(false);
  });

  it('of an entry written with them inline (before they were kept apart) still come back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-texts-'));
    dirs.push(dir);
    const id = await queued(dir);
    const entry = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as Record<string, unknown>;
    const [, textsLine] = readFileSync(join(dir, `${id}.envelope-texts`), 'utf8').split('\n');
    const texts = JSON.parse(textsLine ?? '') as Record<string, unknown>;
    delete entry.draftFile;
    writeFileSync(
      join(dir, `${id}.json`),
      JSON.stringify({ ...entry, draft: texts.draft, typed: texts.typed }),
    );
    unlinkSync(join(dir, `${id}.envelope-texts`));

    const back = await outboxIn(dir).takeBack(id);
    expect(back.ok && back.value.fields.text).toBe(text);
    expect(back.ok && back.value.typed).toEqual(typed);
  });

  it('when they cannot be read back, Undo says so and leaves the message as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-texts-'));
    dirs.push(dir);
    const id = await queued(dir);
    unlinkSync(join(dir, `${id}.envelope-texts`));

    const later = outboxIn(dir);
    const back = await later.takeBack(id);
    expect(back.ok).toBe(false);
    expect(!back.ok && back.error.code).toBe('OUTBOX_ENTRY_DAMAGED');
    expect(later.get(id)?.state).toBe('queued');
  });
});
