import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/mailroom-core';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import { SentMessageSchema } from '../../../shared/domain/sent-message';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { sendAsDraft } from '../../harness/send-as-draft';
import { untilEntry } from './support/until-entry';

// The reading pane's source: the .eml the outbox wrote and the server received, parsed back. What the
// page gets is the message as sent (headers, both bodies, Bcc from the envelope) and a description of
// each attachment, never its contents or where it lives on disk.

let profile: string;
let server: TestSmtpServer;
let core: ReturnType<typeof createCore>;
const call = (channel: string, payload: unknown) =>
  dispatch(core.handlers as never, channel, payload, { emit: () => undefined }, () => undefined);

beforeEach(async () => {
  profile = mkdtempSync(join(tmpdir(), 'mailroom-read-sent-'));
  server = await startSmtpServer({ auth: 'none' });
  const settings = new InMemorySettingsStore();
  settings.set('outbox', { undoDelayMs: 0, poolIdleMs: 0 });
  core = createCore({ profileDir: profile, settings, secrets: new InMemorySecretStore() });
});

afterEach(async () => {
  await core.services.outbox.outbox.close();
  await server.stop();
  rmSync(profile, { recursive: true, force: true });
});

async function account(): Promise<string> {
  const created = await call('createAccount', {
    email: 'ada@example.test',
    displayName: 'Ada Lovelace',
    smtp: { host: '127.0.0.1', port: server.port, security: 'none', authMethod: 'none' },
  });
  if (!created.ok) throw new Error(created.error.message);
  return (created.value as { id: string }).id;
}

describe('readSentMessage', () => {
  it('reads back the stored message as sent: headers, Bcc from the envelope, HTML, text, attachments described', async () => {
    const accountId = await account();
    // A real file of known size, with bytes that must never reach the answer.
    const attachmentPath = join(profile, 'engine-notes.pdf');
    const secretBytes = Buffer.alloc(3_000, 'NEVER-IN-THE-ANSWER ');
    writeFileSync(attachmentPath, secretBytes);
    const grant = core.services.attachmentGrants.issue(attachmentPath);

    const sent = await sendAsDraft(call, {
      accountId,
      to: ['bob@example.test'],
      cc: ['carol@example.test'],
      bcc: ['dave@example.test'],
      displayNames: { 'bob@example.test': 'Bob Babbage', 'carol@example.test': 'Carol' },
      subject: 'Notes on the engine',
      text: 'Hello Bob,\n\nThe notes.',
      html: '<p>Hello <strong>Bob</strong>,</p><p>The notes.</p>',
      grants: [grant],
      undo: false,
    });
    if (!sent.ok) throw new Error(sent.error.message);
    await untilEntry(core.services.outbox.outbox, sent.value.outboxId, (e) => e.state === 'sent');

    // The list shows names and an attachment marker without reading the file.
    const listed = await call('listOutbox', { view: 'sent' });
    expect(listed).toMatchObject({
      ok: true,
      value: {
        entries: [
          {
            attachmentCount: 1,
            displayNames: { 'bob@example.test': 'Bob Babbage', 'carol@example.test': 'Carol' },
          },
        ],
      },
    });

    const read = await call('readSentMessage', { id: sent.value.outboxId });
    if (!read.ok) throw new Error(read.error.message);
    const message = SentMessageSchema.parse(read.value);

    expect(message).toMatchObject({
      id: sent.value.outboxId,
      messageId: sent.value.messageId,
      subject: 'Notes on the engine',
      from: [{ name: 'Ada Lovelace', address: 'ada@example.test' }],
      to: [{ name: 'Bob Babbage', address: 'bob@example.test' }],
      cc: [{ name: 'Carol', address: 'carol@example.test' }],
      bcc: [{ name: '', address: 'dave@example.test' }],
      truncated: false,
      attachmentCount: 1,
      attachments: [
        { filename: 'engine-notes.pdf', contentType: 'application/pdf', size: 3_000, inline: false },
      ],
    });
    expect(message.html).toContain('<strong>Bob</strong>');
    expect(message.text).toContain('The notes.');
    // The Date header the server received, not a time made up when reading.
    const received = server.messages[0]!.raw;
    const dateHeader = /^Date: (.*)$/m.exec(received)?.[1]?.trim();
    expect(message.date).toBe(new Date(dateHeader!).toISOString());
    // Bcc went out in the envelope, never in the headers.
    expect(received).not.toMatch(/^Bcc:/im);
    expect(server.messages[0]!.to).toContain('dave@example.test');

    const answer = JSON.stringify(read.value);
    expect(answer).not.toContain('NEVER-IN-THE-ANSWER');
    expect(answer).not.toContain(secretBytes.toString('base64').slice(0, 40));
    expect(answer).not.toContain(profile);
  });

  it('a plain-text message has no HTML part to show', async () => {
    const accountId = await account();
    const sent = await sendAsDraft(call, {
      accountId,
      to: ['bob@example.test'],
      subject: 'Plain',
      text: 'Just text.',
      undo: false,
    });
    if (!sent.ok) throw new Error(sent.error.message);
    await untilEntry(core.services.outbox.outbox, sent.value.outboxId, (e) => e.state === 'sent');
    const read = await call('readSentMessage', { id: sent.value.outboxId });
    expect(read).toMatchObject({
      ok: true,
      value: { text: expect.stringMatching(/^Just text\.\s*$/), attachments: [] },
    });
    expect((read as { value: { html?: string } }).value.html).toBeUndefined();
  });

  it('an entry that is gone answers OUTBOX_ENTRY_NOT_FOUND', async () => {
    await account();
    const read = await call('readSentMessage', { id: 'no-such-entry' });
    expect(read).toMatchObject({ ok: false, error: { code: 'OUTBOX_ENTRY_NOT_FOUND' } });
  });
});
