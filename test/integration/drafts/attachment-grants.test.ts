import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/mailroom-core';
import { contract } from '../../../shared/ipc/contract';
import { dispatch, type Handlers } from '../../../electron/core/ipc/dispatch';
import { AttachmentGrants } from '../../../electron/core/drafts/attachment-grants';
import { pickAttachmentsHandler } from '../../../electron/core/drafts/pick-attachments';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import { ok, type Result } from '../../../shared/result';

// A renderer may only attach files the user chose: the core takes grants it issued itself (and
// draft attachment ids), never a path from the page. Real profile directory, real files.

const noEmit = { emit: () => undefined };
let profile: string;
let core: ReturnType<typeof createCore>;
let handlers: Handlers;
let chosenFile: string;

const call = (channel: string, payload: unknown) =>
  dispatch(handlers, channel, payload, noEmit, () => undefined) as Promise<Result<Record<string, unknown>>>;

beforeEach(() => {
  profile = mkdtempSync(join(tmpdir(), 'mailroom-grants-'));
  chosenFile = join(profile, 'chosen.txt');
  writeFileSync(chosenFile, 'the file the user picked\n');
  core = createCore({
    profileDir: profile,
    settings: new InMemorySettingsStore(),
    secrets: new InMemorySecretStore(),
    deliverOutbox: false,
  });
  const host = {
    addDraftAttachments: core.handlers.addDraftAttachments,
    attachmentGrants: core.services.attachmentGrants,
  };
  handlers = {
    ...core.handlers,
    openExternal: async () => ok({}),
    openComposeWindow: async () => ok({ opened: false }),
    pickAttachments: pickAttachmentsHandler(host, async () => [chosenFile]),
    attachDroppedFiles: async () => ok({ cancelled: true, attachments: [] }),
  };
});
afterEach(async () => {
  await core.services.outbox.outbox.close();
  rmSync(profile, { recursive: true, force: true });
});

async function newDraft(): Promise<string> {
  const draft = await call('createDraft', {});
  if (!draft.ok) throw new Error(draft.error.message);
  return draft.value['id'] as string;
}

async function attachedPaths(draftId: string): Promise<string[]> {
  const draft = await call('getDraft', { id: draftId });
  if (!draft.ok) throw new Error(draft.error.message);
  return (draft.value['attachments'] as { path: string }[]).map((a) => a.path);
}

describe('attachments only by grant', () => {
  it('refuses a path named by the renderer: addDraftAttachments takes grants, sendDraft only the draft', async () => {
    const draftId = await newDraft();
    expect(await call('addDraftAttachments', { draftId, paths: ['/etc/passwd'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(await call('addDraftAttachments', { draftId, grants: ['/etc/passwd'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    // Sending takes only the draft: no request of the contract can name a file to attach.
    expect(Object.keys(contract.sendDraft.request.shape).sort()).toEqual([
      'draftId',
      'requestId',
      'sendAt',
      'undo',
    ]);
    const sent = await call('sendDraft', { draftId, attachments: [{ path: '/etc/passwd' }] });
    expect(JSON.stringify(sent)).not.toContain('/etc/passwd');
    expect(await attachedPaths(draftId)).toEqual([]);
  });

  it('refuses a grant it never issued, and one already used', async () => {
    const draftId = await newDraft();
    const forged = `grant-${'ab'.repeat(16)}`;
    expect(await call('addDraftAttachments', { draftId, grants: [forged] })).toMatchObject({
      ok: false,
      error: { code: 'ATTACHMENT_NOT_GRANTED' },
    });
    const grant = core.services.attachmentGrants.issue(chosenFile);
    expect(await call('addDraftAttachments', { draftId, grants: [grant] })).toMatchObject({ ok: true });
    const other = await newDraft();
    expect(await call('addDraftAttachments', { draftId: other, grants: [grant] })).toMatchObject({
      ok: false,
      error: { code: 'ATTACHMENT_NOT_GRANTED' },
    });
    expect(await attachedPaths(draftId)).toEqual([chosenFile]);
    expect(await attachedPaths(other)).toEqual([]);
  });

  it('binds a request all or nothing: one bad grant uses up none of the good ones', async () => {
    const grants = new AttachmentGrants();
    const good = grants.issue(chosenFile);
    expect(grants.takeAll([good, `grant-${'cd'.repeat(16)}`])).toBeUndefined();
    expect(grants.takeAll([good, good])).toBeUndefined();
    expect(grants.takeAll([good])).toEqual([chosenFile]);
  });

  it('lets a grant expire', () => {
    let now = 1_000;
    const grants = new AttachmentGrants(() => now, 60_000);
    const grant = grants.issue(chosenFile);
    now += 60_000;
    expect(grants.takeAll([grant])).toBeUndefined();
  });

  it('attaches what the host picker chose, sends it with the draft, and Undo brings the file back without the page naming it', async () => {
    const account = await call('createAccount', {
      email: 'ada@example.com',
      displayName: 'Ada',
      smtp: {
        host: '127.0.0.1',
        port: 587,
        security: 'starttls',
        authMethod: 'password',
        username: '',
        allowUnencrypted: false,
      },
      password: 'unused',
      credentialMode: 'session',
    });
    if (!account.ok) throw new Error(account.error.message);
    const draftId = await newDraft();
    const picked = await call('pickAttachments', { draftId });
    expect(picked).toMatchObject({ ok: true, value: { cancelled: false } });
    const attachments = (picked.ok ? picked.value['attachments'] : []) as { id: string; path: string }[];
    expect(attachments.map((a) => a.path)).toEqual([chosenFile]);

    const saved = await call('saveDraft', {
      id: draftId,
      content: {
        accountId: account.value['id'],
        to: [{ address: 'bob@example.org' }],
        subject: 'Plans',
        mode: 'plain',
        text: 'Attached.',
      },
    });
    expect(saved).toMatchObject({ ok: true });
    const queued = await call('sendDraft', { draftId });
    expect(queued).toMatchObject({ ok: true });
    const outboxId = queued.ok ? (queued.value['outboxId'] as string) : '';
    expect(await call('getDraft', { id: draftId })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_NOT_FOUND' },
    });

    // Undo / Edit: the core makes it a draft again with the same file; the page never sees the path.
    const reopened = await call('reopenOutboxEntry', { id: outboxId });
    expect(reopened).toMatchObject({ ok: true, value: { missingAttachments: [] } });
    expect(JSON.stringify(reopened)).not.toContain(chosenFile);
    const reopenedId = reopened.ok ? (reopened.value['draftId'] as string) : '';
    expect(await attachedPaths(reopenedId)).toEqual([chosenFile]);
    // Nothing is left in the outbox that could still go out.
    const listed = await call('listOutbox', { view: 'outbox' });
    expect(listed.ok && (listed.value['entries'] as { id: string }[]).map((e) => e.id)).not.toContain(
      outboxId,
    );
  });
});
