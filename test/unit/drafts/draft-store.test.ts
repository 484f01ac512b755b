import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftStore } from '../../../electron/core/drafts/draft-store';

let profile: string;
let store: DraftStore;

beforeEach(() => {
  profile = mkdtempSync(join(tmpdir(), 'mailroom-drafts-'));
  store = new DraftStore(profile);
});
afterEach(() => rmSync(profile, { recursive: true, force: true }));

describe('drafts in the profile', () => {
  it('keeps everything a compose window holds and gives it back after a restart', async () => {
    const draft = await store.create({ accountId: 'a1', identityId: 'i1' });
    const file = join(profile, 'attach.bin');
    writeFileSync(file, Buffer.alloc(1234, 7));
    expect((await store.addAttachments(draft.id, [file])).ok).toBe(true);
    const saved = await store.save(draft.id, {
      accountId: 'a1',
      identityId: 'i1',
      to: [{ name: 'Doe, Jane', address: 'jane@x.org' }],
      cc: [{ name: '', address: 'cc@y.org' }],
      bcc: [{ name: '', address: 'hidden@z.org' }],
      subject: 'Grüße',
      mode: 'rich',
      html: '<p><strong>Hi</strong></p>',
      text: 'Hi',
    });
    expect(saved.ok).toBe(true);

    // A new store over the same profile is what the app sees after a restart.
    const reopened = await new DraftStore(profile).get(draft.id);
    expect(reopened.ok && reopened.value).toMatchObject({
      to: [{ name: 'Doe, Jane', address: 'jane@x.org' }],
      cc: [{ address: 'cc@y.org' }],
      bcc: [{ address: 'hidden@z.org' }],
      subject: 'Grüße',
      html: '<p><strong>Hi</strong></p>',
      attachments: [{ name: 'attach.bin', size: 1234, path: file, present: true }],
    });
  });

  it('saving never drops the attachments (they change only through their own calls)', async () => {
    const draft = await store.create({});
    const file = join(profile, 'a.txt');
    writeFileSync(file, 'x');
    await Promise.all([store.addAttachments(draft.id, [file]), store.save(draft.id, { subject: 'race' })]);
    const got = await store.get(draft.id);
    expect(got.ok && got.value.attachments.map((a) => a.name)).toEqual(['a.txt']);
    expect(got.ok && got.value.subject).toBe('race');
  });

  it('shows an attachment moved away since as missing instead of failing the draft', async () => {
    const draft = await store.create({});
    const file = join(profile, 'gone.txt');
    writeFileSync(file, 'x');
    await store.addAttachments(draft.id, [file]);
    rmSync(file);
    const got = await store.get(draft.id);
    expect(got.ok && got.value.attachments[0]?.present).toBe(false);
  });

  it('refuses to attach a folder or a file that does not exist, saying which', async () => {
    const draft = await store.create({});
    const result = await store.addAttachments(draft.id, [join(profile, 'nope.pdf')]);
    expect(result).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    expect(!result.ok && result.error.message).toContain('nope.pdf');
    expect((await store.addAttachments(draft.id, [profile])).ok).toBe(false);
  });

  it('writes atomically: no temp files left behind, and the file is whole JSON', async () => {
    const draft = await store.create({});
    for (let i = 0; i < 20; i += 1) await store.save(draft.id, { subject: `edit ${i}` });
    const files = readdirSync(join(profile, 'drafts'));
    expect(files).toEqual([`${draft.id}.json`]);
    expect(JSON.parse(readFileSync(join(profile, 'drafts', files[0]!), 'utf8')).subject).toBe('edit 19');
  });

  it('lists edited drafts newest first, leaves out untouched ones, and discards', async () => {
    const untouched = await store.create({});
    const a = await store.create({});
    await store.save(a.id, { subject: 'first', to: [{ name: '', address: 'x@y.org' }] });
    const b = await store.create({});
    await new Promise((r) => setTimeout(r, 5));
    await store.save(b.id, { subject: 'second' });
    const list = await store.list();
    expect(list.map((d) => d.subject)).toEqual(['second', 'first']);
    expect(list.some((d) => d.id === untouched.id)).toBe(false);
    await store.discard(a.id);
    expect((await store.get(a.id)).ok).toBe(false);
    expect((await store.list()).map((d) => d.subject)).toEqual(['second']);
  });

  it('says a damaged draft file is damaged and where it is', async () => {
    const draft = await store.create({});
    writeFileSync(join(profile, 'drafts', `${draft.id}.json`), '{"id": tru');
    const got = await store.get(draft.id);
    expect(got).toMatchObject({ ok: false, error: { code: 'DRAFT_CORRUPT' } });
  });

  it('never lets an id name a file outside the drafts folder', async () => {
    expect(await store.get('../../config')).toMatchObject({ ok: false, error: { code: 'DRAFT_NOT_FOUND' } });
  });

  it('lists drafts while one is being saved without removing the save in progress', async () => {
    const draft = await store.create({ accountId: 'a1', identityId: 'i1' });
    // A save in progress: its temporary file, written by this (live) process, not yet renamed.
    const inProgress = `.tmp-${draft.id}.json-${process.pid}-0123abcd-4567`;
    writeFileSync(join(profile, 'drafts', inProgress), 'half written');
    // A leftover of a writer that is gone (a crash).
    const leftover = '.tmp-x.json-999999999-deadbeef-dead';
    writeFileSync(join(profile, 'drafts', leftover), 'partial');
    await store.list();
    const temps = readdirSync(join(profile, 'drafts')).filter((n) => n.startsWith('.tmp-'));
    expect(temps).toEqual([inProgress]);
  });
});
