import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openAccounts } from '../../../electron/core/accounts/open-accounts';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { sendAsDraft } from '../../harness/send-as-draft';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { createCore } from '../../../electron/core/mailroom-core';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';

// The outbox reuses an account's settings and password across a batch instead of asking the keychain
// for every message (on a desktop each ask can be a keychain round trip, or a prompt). Reuse must end
// the moment the account changes: a password fixed in Mailroom, or by another Mailroom process on the
// same profile (the command-line tool), is what the very next message uses.

const USER = 'ada@example.test';
const FIRST = `first-${randomUUID()}`;
const SECOND = `second-${randomUUID()}`;
const THIRD = `third-${randomUUID()}`;

/** The keychain, counting how often the password was read. */
class CountingSecretStore extends InMemorySecretStore {
  reads = 0;
  override async get(accountId: string): Promise<string | null> {
    this.reads++;
    return super.get(accountId);
  }
}

const users: Record<string, string> = { [USER]: FIRST };
let server: TestSmtpServer;
const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-outbox-credentials-'));

beforeAll(async () => {
  server = await startSmtpServer({ allowInsecureAuth: true, users });
});
afterAll(async () => {
  await server?.stop();
  rmSync(profileDir, { recursive: true, force: true });
});

describe('outbox credentials across messages', () => {
  it('reads the keychain once for a batch, and uses a changed password for the very next message', async () => {
    const settings = openConfSettingsStore(profileDir);
    // poolIdleMs 0: connections close when a batch is done, so each later message signs in anew
    // (a connection still open keeps the sign-in it made, whatever the password is now).
    settings.set('outbox', { undoDelayMs: 0, poolIdleMs: 0 });
    const secrets = new CountingSecretStore();
    const core = createCore({ profileDir, settings, secrets });
    const { outbox } = core.services.outbox;
    const outcomes = new Map<string, { state: string; code?: string | undefined }>();
    outbox.subscribe(({ entry }) => {
      if (entry && (entry.state === 'sent' || entry.state === 'failed')) {
        outcomes.set(entry.id, { state: entry.state, code: entry.lastError?.code });
      }
    });
    const call = (channel: string, payload: unknown) =>
      dispatch(core.handlers as never, channel, payload, { emit: () => undefined });
    const settled = (id: string) =>
      vi.waitFor(
        () => {
          const outcome = outcomes.get(id);
          if (!outcome) throw new Error(`no outcome yet for ${id}`);
          return outcome;
        },
        { timeout: 30_000, interval: 20 },
      );

    const created = await call('createAccount', {
      email: USER,
      displayName: 'Ada Lovelace',
      smtp: {
        host: server.host,
        port: server.port,
        security: 'none',
        allowUnencrypted: true,
        authMethod: 'password',
        username: USER,
      },
      password: FIRST,
      credentialMode: 'keychain',
    });
    expect(created).toMatchObject({ ok: true });
    const accountId = (created as { value: { id: string } }).value.id;
    const send = async (subject: string): Promise<string> => {
      const queued = await sendAsDraft(call, {
        accountId,
        to: ['charles@example.test'],
        subject,
        text: 'Hi',
      });
      expect(queued).toMatchObject({ ok: true });
      return (queued as { value: { outboxId: string } }).value.outboxId;
    };

    const readsBefore = secrets.reads;
    const batch = await Promise.all(Array.from({ length: 6 }, (_, i) => send(`Batch ${i}`)));
    for (const id of batch) expect(await settled(id)).toEqual({ state: 'sent', code: undefined });
    // Six messages, not six keychain reads.
    expect(secrets.reads - readsBefore).toBeLessThan(batch.length);

    // The password changes at the provider and then in Mailroom: the next message signs in with it.
    users[USER] = SECOND;
    expect(await call('setAccountPassword', { accountId, password: SECOND })).toMatchObject({ ok: true });
    expect(await settled(await send('After the change in Mailroom'))).toEqual({
      state: 'sent',
      code: undefined,
    });

    // Another Mailroom process on the same profile (the command-line tool) changes it again.
    users[USER] = THIRD;
    const { accounts: otherProcess } = openAccounts(openConfSettingsStore(profileDir), secrets);
    expect(
      await otherProcess.setPassword({ accountId, password: THIRD, credentialMode: 'keychain' }),
    ).toMatchObject({ ok: true });
    expect(await settled(await send('After the change elsewhere'))).toEqual({
      state: 'sent',
      code: undefined,
    });

    expect(server.messages).toHaveLength(batch.length + 2);
    await outbox.close();
  });
});
