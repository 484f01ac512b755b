import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/mailroom-core';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { sendAsDraft } from '../../harness/send-as-draft';
import { untilEntry } from './support/until-entry';

// Undo and Edit take a message back through the core (reopenOutboxEntry): what was typed comes back
// as a draft, and what could still be sent never stays behind. A sent message stays in the history.

let profile: string;
let server: TestSmtpServer;
let core: ReturnType<typeof createCore>;
const call = (channel: string, payload: unknown) =>
  dispatch(core.handlers as never, channel, payload, { emit: () => undefined }, () => undefined);

async function account(undoDelayMs: number): Promise<string> {
  const settings = new InMemorySettingsStore();
  settings.set('outbox', { undoDelayMs, poolIdleMs: 0 });
  core = createCore({ profileDir: profile, settings, secrets: new InMemorySecretStore() });
  const created = await call('createAccount', {
    email: 'ada@example.test',
    displayName: 'Ada',
    smtp: { host: '127.0.0.1', port: server.port, security: 'none', authMethod: 'none' },
  });
  if (!created.ok) throw new Error(created.error.message);
  return (created.value as { id: string }).id;
}

beforeEach(async () => {
  profile = mkdtempSync(join(tmpdir(), 'mailroom-reopen-'));
  server = await startSmtpServer({ auth: 'none' });
});

afterEach(async () => {
  await core.services.outbox.outbox.close();
  await server.stop();
  rmSync(profile, { recursive: true, force: true });
});

async function entries(view: 'outbox' | 'sent'): Promise<{ id: string }[]> {
  const listed = await call('listOutbox', { view });
  if (!listed.ok) throw new Error(listed.error.message);
  return (listed.value as { entries: { id: string }[] }).entries;
}

describe('taking a message back', () => {
  it('Undo: the message becomes the draft it was, and nothing is left that could go out', async () => {
    const accountId = await account(60_000);
    const sent = await sendAsDraft(call, {
      accountId,
      to: ['bob@example.test'],
      displayNames: { 'bob@example.test': 'Bob' },
      subject: 'Take me back',
      text: 'Typed, not sent',
    });
    if (!sent.ok) throw new Error(sent.error.message);
    const reopened = await call('reopenOutboxEntry', { id: sent.value.outboxId });
    if (!reopened.ok) throw new Error(reopened.error.message);
    const draft = await call('getDraft', { id: (reopened.value as { draftId: string }).draftId });
    expect(draft).toMatchObject({
      ok: true,
      value: {
        subject: 'Take me back',
        text: 'Typed, not sent',
        to: [{ name: 'Bob', address: 'bob@example.test' }],
      },
    });
    expect(await entries('outbox')).toEqual([]);
    // It is the user's work now: Drafts lists it, should compose be left.
    const drafts = await call('listDrafts', {});
    expect(
      drafts.ok && (drafts.value as { drafts: { subject: string }[] }).drafts.map((d) => d.subject),
    ).toEqual(['Take me back']);
    await core.services.outbox.outbox.kick();
    expect(server.messages).toEqual([]);
  });

  it('Edit as new on a sent message: a new draft, and the sent one stays in the history', async () => {
    const accountId = await account(0);
    const sent = await sendAsDraft(call, {
      accountId,
      to: ['bob@example.test'],
      subject: 'Went out',
      text: 'Hello',
    });
    if (!sent.ok) throw new Error(sent.error.message);
    await untilEntry(core.services.outbox.outbox, sent.value.outboxId, (e) => e.state === 'sent');
    const reopened = await call('reopenOutboxEntry', { id: sent.value.outboxId });
    expect(reopened).toMatchObject({ ok: true });
    expect((await entries('sent')).map((e) => e.id)).toEqual([sent.value.outboxId]);
    expect(server.messages).toHaveLength(1);
  });
});
