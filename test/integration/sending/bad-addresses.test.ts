import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { sendAsDraft } from '../../harness/send-as-draft';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { createCore } from '../../../electron/core/mailroom-core';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';

// A renderer that skips its own checks (or a compromised one, or a script on the browser host's
// socket) reaches the core through dispatch: the core refuses a bad address itself, in the shared
// wording, and nothing reaches the outbox or the recipient book. The keychain is not what this is
// about, so the in-memory secret store stands in for it.

const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-bad-addresses-'));
const core = createCore({
  profileDir,
  settings: openConfSettingsStore(profileDir),
  secrets: new InMemorySecretStore(),
  deliverOutbox: false,
});
const call = (channel: string, payload: unknown) =>
  dispatch(core.handlers as never, channel, payload, { emit: () => undefined }, () => undefined);

const smtp = {
  host: '127.0.0.1',
  port: 2525,
  security: 'none',
  allowUnencrypted: true,
  authMethod: 'none',
  username: '',
};

let accountId = '';
beforeAll(async () => {
  const created = await call('createAccount', { email: 'ada@example.test', displayName: 'Ada', smtp });
  expect(created).toMatchObject({ ok: true });
  accountId = (created as { value: { id: string } }).value.id;
});
afterAll(async () => {
  await core.services.outbox.outbox.close();
  rmSync(profileDir, { recursive: true, force: true });
});

const bad: [string, string, string][] = [
  ['a@b', 'a@b', 'the domain “b” has no dot'],
  [
    'a 70-character local part',
    `${'x'.repeat(70)}@b.example`,
    'the part before @ is longer than 64 characters (it has 70)',
  ],
  ['a 260-character domain', `a@${'d'.repeat(252)}.example`, 'the domain is longer than 255 characters'],
  ['a@b..example', 'a@b..example', 'the domain has two dots in a row'],
  ['a control character', 'ctl\x01@b.example', 'it contains a control character (U+0001)'],
  ['an address literal', 'user@[192.0.2.1]', 'an IP address in brackets is not accepted'],
];

describe('the core refuses bad addresses that bypass the renderer', () => {
  it.each(bad)(
    'sendDraft refuses %s in To, Cc and Bcc, queueing nothing',
    async (_label, address, problem) => {
      const labels = { to: 'To', cc: 'Cc', bcc: 'Bcc' } as const;
      for (const field of ['to', 'cc', 'bcc'] as const) {
        const result = await sendAsDraft(call, {
          accountId,
          to: ['ok@example.test'],
          [field]: [address],
          subject: 'Hello',
          text: 'Hi',
        });
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
        const message = (result as { error: { message: string } }).error.message;
        expect(message).toContain(`${labels[field]} (recipient 1): `);
        expect(message).toContain(`is not a valid email address: ${problem}`);
        expect(message).not.toMatch(/\p{Cc}/u);
      }
      expect(await core.services.outbox.outbox.list('outbox')).toEqual([]);
      const outboxFiles = readdirSync(profileDir, { recursive: true }).map(String);
      expect(outboxFiles.filter((f) => f.endsWith('.eml'))).toEqual([]);
    },
  );

  it('refuses them as an account or identity address too', async () => {
    expect(await call('createAccount', { email: 'a@b', displayName: 'A', smtp })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('the domain “b” has no dot') },
    });
    expect(
      await call('addIdentity', {
        accountId,
        identity: { name: 'Ctl', address: 'ctl\x01@b.example', signature: '' },
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('control character (U+0001)') } });
    expect(
      await call('updateIdentity', {
        accountId,
        identityId: 'whatever',
        replyTo: 'a@b..example',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('two dots in a row') } });
  });

  it('a refused send remembers none of its addresses; a queued one remembers them', async () => {
    const refused = await sendAsDraft(call, {
      accountId,
      to: ['good@b.example', 'a@b'],
      cc: ['ctl\x01@b.example', 'a@b..example'],
      subject: 'Hello',
      text: 'Hi',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('suggestRecipients', { query: 'b', limit: 50 })).toEqual({
      ok: true,
      value: { recipients: [] },
    });
    const sent = await sendAsDraft(call, {
      accountId,
      to: ['good@b.example'],
      displayNames: { 'good@b.example': 'Good' },
      subject: 'Hello',
      text: 'Hi',
    });
    expect(sent).toMatchObject({ ok: true });
    expect(await call('suggestRecipients', { query: 'b', limit: 50 })).toEqual({
      ok: true,
      value: { recipients: [{ name: 'Good', address: 'good@b.example' }] },
    });
  });
});
