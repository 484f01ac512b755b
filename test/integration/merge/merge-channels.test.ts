import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { createCore } from '../../../electron/core/mailroom-core';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';
import type { MergeJob, MergePreview } from '../../../shared/domain/mail-merge';
import type { Result } from '../../../shared/result';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';

// The merge channels as a window calls them (dispatch: schema, handler, response schema), on a
// real core and outbox sending to a real SMTP server. The account is a gmail.com address on a
// local server: the curated Gmail limit applies until the user sets their own. The keychain is not
// what this is about, so the in-memory secret store stands in for it.

const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-merge-channels-'));
let server: TestSmtpServer;
let core: ReturnType<typeof createCore>;
let accountId = '';
const call = <T>(channel: string, payload: unknown) =>
  dispatch(core.handlers as never, channel, payload, { emit: () => undefined }, () => undefined) as Promise<
    Result<T>
  >;

beforeAll(async () => {
  server = await startSmtpServer({ auth: 'none' });
  core = createCore({
    profileDir,
    settings: openConfSettingsStore(profileDir),
    secrets: new InMemorySecretStore(),
  });
  core.services.settings.set('outbox', { undoDelayMs: 0, poolIdleMs: 0 });
  const created = await call<{ id: string }>('createAccount', {
    email: 'ada.lovelace@gmail.com',
    displayName: 'Ada',
    smtp: {
      host: '127.0.0.1',
      port: server.port,
      security: 'none',
      allowUnencrypted: true,
      authMethod: 'none',
      username: '',
    },
  });
  if (!created.ok) throw new Error(created.error.message);
  accountId = created.value.id;
});
afterAll(async () => {
  await core.services.outbox.outbox.close();
  await server?.stop();
  rmSync(profileDir, { recursive: true, force: true });
});

async function draft(fields: Record<string, unknown>): Promise<string> {
  const made = await call<{ id: string }>('createDraft', { accountId, mode: 'rich', ...fields });
  if (!made.ok) throw new Error(made.error.message);
  return made.value.id;
}

const CSV = '\uFEFFemail,name\r\nbob@example.org,"Bob & <Co>"\r\ncy@example.org,Cy\r\nnot-an-address,X\r\n';

describe('the merge channels', () => {
  it('answers the provider limit with its source, then the limits the user sets, then the provider again', async () => {
    const initial = await call('getSendingLimits', { accountId });
    expect(initial).toMatchObject({
      ok: true,
      value: {
        own: null,
        provider: {
          perDay: 500,
          source: 'provider',
          providerName: 'Gmail',
          sourceUrl: 'https://support.google.com/mail/answer/22839',
        },
        effective: { perDay: 500, perMinute: null, source: 'provider' },
      },
    });
    const set = await call('setSendingLimits', { accountId, limits: { perMinute: 30, perDay: 100 } });
    expect(set).toMatchObject({
      ok: true,
      value: { own: { perMinute: 30, perDay: 100 }, effective: { source: 'account', perDay: 100 } },
    });
    const cleared = await call('setSendingLimits', { accountId, limits: null });
    expect(cleared).toMatchObject({ ok: true, value: { own: null, effective: { source: 'provider' } } });
    expect(await call('getSendingLimits', { accountId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_NOT_FOUND' },
    });
    expect(
      await call('setSendingLimits', { accountId, limits: { perMinute: 0, perDay: null } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
  });

  it('previews the rows as they will be sent from a draft, with the rows left out and the pace', async () => {
    const draftId = await draft({
      subject: 'Hi {{name}}',
      html: '<p>Dear {{name}}</p>',
      text: 'Dear {{name}}',
    });
    const preview = await call<MergePreview>('previewMerge', {
      draftId,
      csv: { text: CSV, fileName: 'club.csv' },
      previewRows: 1,
    });
    expect(preview).toMatchObject({
      ok: true,
      value: {
        fields: ['email', 'name'],
        recipientField: 'email',
        nameField: 'name',
        placeholders: ['name'],
        totalRows: 3,
        sendableRows: 2,
        rows: [
          {
            row: 2,
            to: 'bob@example.org',
            toName: 'Bob & <Co>',
            subject: 'Hi Bob & <Co>',
            html: '<p>Dear Bob &#38; &#60;Co&#62;</p>',
          },
        ],
        skipped: [{ row: 4, reason: 'bad-address', field: 'email' }],
        from: 'Ada <ada.lovelace@gmail.com>',
        pacing: { limits: { perDay: 500, source: 'provider' }, sentLast24h: 0 },
      },
    });
    expect(await call('getDraft', { id: draftId })).toMatchObject({ ok: true });
    const withCc = await draft({ subject: 's', cc: [{ name: '', address: 'boss@example.org' }] });
    expect(await call('previewMerge', { draftId: withCc, csv: { text: CSV } })).toMatchObject({
      ok: false,
      error: { code: 'MERGE_DRAFT_UNSUITABLE' },
    });
    expect(await call('previewMerge', { draftId, csv: { text: 'name\nx\n' } })).toMatchObject({
      ok: false,
      error: { code: 'MERGE_NO_RECIPIENT_COLUMN', details: { fields: ['name'] } },
    });
    expect(await call('pauseMerge', { jobId: '../../etc' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
  });

  it('starts one job from the draft (consumed), lists it until done, the entries naming job and row', async () => {
    const file = join(profileDir, 'agenda.txt');
    writeFileSync(file, 'Agenda\n');
    const draftId = await draft({ subject: 'Hi {{name}}', html: '<p>Dear {{name}}</p>' });
    const grant = core.services.attachmentGrants.issue(file);
    expect(await call('addDraftAttachments', { draftId, grants: [grant] })).toMatchObject({ ok: true });
    const started = await call<{ jobId: string; queued: number; job: MergeJob }>('startMerge', {
      draftId,
      csv: { text: CSV, fileName: 'club.csv' },
    });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value).toMatchObject({
      queued: 2,
      skipped: [{ row: 4 }],
      job: { fileName: 'club.csv', subject: 'Hi {{name}}' },
    });
    expect(await call('getDraft', { id: draftId })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_NOT_FOUND' },
    });
    const outbox = core.services.outbox.outbox;
    let jobs: MergeJob[] = [];
    for (let i = 0; i < 200; i++) {
      const listed = await call<{ jobs: MergeJob[] }>('listMergeJobs', {});
      if (!listed.ok) throw new Error(listed.error.message);
      jobs = listed.value.jobs;
      if (jobs[0]?.state === 'done') break;
      await outbox.nextChange(100);
    }
    expect(jobs).toMatchObject([
      { id: started.value.jobId, state: 'done', counts: { sent: 2, total: 2, skipped: 1 } },
    ]);
    expect(jobs[0]?.pacing.sentLast24h).toBe(2);
    const sent = await call<{ entries: { merge?: unknown; to: string[] }[] }>('listOutbox', { view: 'sent' });
    expect(sent.ok && sent.value.entries.map((e) => [e.to[0], e.merge]).sort()).toEqual([
      ['bob@example.org', { jobId: started.value.jobId, row: 2 }],
      ['cy@example.org', { jobId: started.value.jobId, row: 3 }],
    ]);
    const bob = await simpleParser(server.messages.find((m) => m.to[0] === 'bob@example.org')!.raw);
    expect(bob.subject).toBe('Hi Bob & <Co>');
    expect(bob.attachments.map((a) => a.filename)).toEqual(['agenda.txt']);
  });
});
