import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { createCore } from '../../../electron/core/mailroom-core';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';

// One press of Send is one message. A draft can be open in two windows, a script on the browser
// host's socket can call twice, and the app can be killed after the message is safe in the outbox
// but before its draft is gone: none of them may queue the message a second time. Delivery is off
// (what is queued is what this is about); the keychain is not, so secrets stay in memory.

const profiles: string[] = [];
const cores: ReturnType<typeof createCore>[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.services.outbox.outbox.close();
  for (const dir of profiles.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openCore(profileDir: string) {
  const core = createCore({
    profileDir,
    settings: openConfSettingsStore(profileDir),
    secrets: new InMemorySecretStore(),
    deliverOutbox: false,
  });
  cores.push(core);
  const call = (channel: string, payload: unknown) =>
    dispatch(core.handlers as never, channel, payload, { emit: () => undefined }, () => undefined);
  return { core, call };
}

async function profileWithDraft() {
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-send-once-'));
  profiles.push(profileDir);
  const { core, call } = openCore(profileDir);
  const smtp = {
    host: '127.0.0.1',
    port: 2525,
    security: 'none',
    allowUnencrypted: true,
    authMethod: 'none',
    username: '',
  };
  const created = await call('createAccount', { email: 'ada@example.test', displayName: 'Ada', smtp });
  if (!created.ok) throw new Error(created.error.message);
  const accountId = (created.value as { id: string }).id;
  const content = {
    accountId,
    to: [{ name: 'Grace', address: 'grace@example.test' }],
    subject: 'Once',
    text: 'Only one of me.',
  };
  const draft = await call('createDraft', content);
  if (!draft.ok) throw new Error(draft.error.message);
  const draftId = (draft.value as { id: string }).id;
  // Typed in after it was made, so the draft is listed as work in progress.
  const saved = await call('saveDraft', {
    id: draftId,
    content: { ...content, text: 'Only one of me, really.' },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  return { profileDir, core, call, draftId };
}

const queuedIn = async (core: ReturnType<typeof createCore>) =>
  (await core.services.outbox.outbox.list('outbox')).map((e) => e.id);
const emlFiles = (profileDir: string) =>
  readdirSync(profileDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.eml'));

describe('a draft is sent once', () => {
  it('sends of the same draft at the same moment queue one message, and each hears of it', async () => {
    const { profileDir, core, call, draftId } = await profileWithDraft();
    const [first, second, third] = await Promise.all([
      call('sendDraft', { draftId, undo: false }),
      call('sendDraft', { draftId, undo: false }),
      call('sendDraft', { draftId, undo: false }),
    ]);
    expect(third).toEqual(first);
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true });
    expect(second).toEqual(first);
    const outboxId = (first as { value: { outboxId: string } }).value.outboxId;
    expect(await queuedIn(core)).toEqual([outboxId]);
    expect(emlFiles(profileDir)).toHaveLength(1);

    // Under the hood too: the outbox never writes over a message it holds (it may be on the wire).
    const [eml] = emlFiles(profileDir);
    const before = readFileSync(join(profileDir, eml!));
    const accountId = (await core.services.outbox.outbox.list('outbox'))[0]!.accountId;
    const over = await core.services.outbox.outbox.enqueue({
      id: outboxId,
      accountId,
      to: ['someone-else@example.test'],
      cc: [],
      bcc: [],
      subject: 'Not me',
      text: 'Different words.',
      attachments: [],
      undoDelayMs: 0,
    });
    expect(over).toMatchObject({ ok: true, value: { id: outboxId, subject: 'Once' } });
    expect(readFileSync(join(profileDir, eml!)).equals(before)).toBe(true);
  });

  it('a send cut short after the message was queued, with its draft still on disk, is not queued again', async () => {
    const { profileDir, core, call, draftId } = await profileWithDraft();
    const draftFile = join(profileDir, 'drafts', `${draftId}.json`);
    const kept = join(profileDir, 'draft-before-send.json');
    copyFileSync(draftFile, kept);
    const listed = await call('listDrafts', {});
    expect((listed as { value: { drafts: { id: string }[] } }).value.drafts.map((d) => d.id)).toEqual([
      draftId,
    ]);
    const sent = await call('sendDraft', { draftId, undo: false });
    expect(sent).toMatchObject({ ok: true });
    const outboxId = (sent as { value: { outboxId: string } }).value.outboxId;
    await core.services.outbox.outbox.close();
    // As if the process died before the draft's removal reached the disk.
    copyFileSync(kept, draftFile);

    const again = openCore(profileDir);
    const drafts = await again.call('listDrafts', {});
    expect(drafts).toMatchObject({ ok: true });
    // The send had finished: the draft does not come back as unsent work...
    expect((drafts as { value: { drafts: { id: string }[] } }).value.drafts.map((d) => d.id)).not.toContain(
      draftId,
    );
    // ...and a Send of it from a window still showing it queues nothing new.
    const resent = await again.call('sendDraft', { draftId, undo: false });
    expect(resent).toMatchObject({ ok: true, value: { outboxId } });
    expect(await queuedIn(again.core)).toEqual([outboxId]);
    expect(emlFiles(profileDir)).toHaveLength(1);
  });

  it('drafts are still listed when the outbox cannot be opened to look for their messages', async () => {
    const { profileDir, core, draftId } = await profileWithDraft();
    await core.services.outbox.outbox.close();
    // A file where the outbox folder should be: the outbox cannot open in the next process.
    rmSync(join(profileDir, 'outbox'), { recursive: true, force: true });
    writeFileSync(join(profileDir, 'outbox'), 'not a folder');
    const again = openCore(profileDir);
    const drafts = await again.call('listDrafts', {});
    expect(drafts).toMatchObject({ ok: true });
    expect((drafts as { value: { drafts: { id: string }[] } }).value.drafts.map((d) => d.id)).toEqual([
      draftId,
    ]);
  });
});
