import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import keytar from 'keytar';
import { openProfileCore } from '../../../electron/core/profile';
import { KEYCHAIN_SERVICE } from '../../../electron/core/credentials/keytar-secret-store';
import { sendAsDraft } from '../../harness/send-as-draft';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';

// A full add-and-send flow on the real core (conf profile + gnome-keyring) against smtp-server with
// AUTH, through the same dispatch every host uses. Afterwards no file in the profile and no log line
// holds the password, and the keychain holds exactly what the user last entered.

const USER = 'ada@example.test';
const FIRST = `first-${randomUUID()}`;
const SECOND = `second-${randomUUID()}`;

let server: TestSmtpServer;
const logged: string[] = [];

beforeAll(async () => {
  server = await startSmtpServer({ allowInsecureAuth: true, users: { [USER]: FIRST } });
  // Everything the core writes to the console or the dispatch log, to search for the password.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void logged.push(args.map(String).join(' ')),
    );
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  await server?.stop();
});

function filesContaining(dir: string, needle: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && readFileSync(f).includes(Buffer.from(needle)));
}

describe('add an account, send, replace the password, send, remove', () => {
  it('never writes or logs the password and keeps the keychain in step', async () => {
    const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-add-send-'));
    const core = openProfileCore(profileDir);
    // Send at once rather than after the outbox's undo window.
    core.services.settings.set('outbox', { undoDelayMs: 0 });
    const events: { requestId?: string; state?: string; error?: { code: string } }[] = [];
    const settled = (requestId: string) =>
      vi.waitFor(
        () => {
          const last = events.find(
            (e) => e.requestId === requestId && (e.state === 'sent' || e.state === 'failed'),
          );
          if (!last) throw new Error(`no outcome yet for ${requestId}`);
          return last;
        },
        { timeout: 30_000, interval: 50 },
      );
    const call = async (channel: string, payload: unknown) => {
      const result = await dispatch(
        core.handlers as never,
        channel,
        payload,
        { emit: (_e, p) => void events.push(p as never) },
        (m) => logged.push(m),
      );
      logged.push(JSON.stringify(result)); // whatever would reach the renderer
      return result;
    };

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
    });
    expect(created).toMatchObject({ ok: true, value: { hasPassword: true } });
    const accountId = (created as { value: { id: string } }).value.id;

    const message = {
      accountId,
      to: ['charles@example.test'],
      subject: 'Engine notes',
      text: 'Hello',
      requestId: 'r1',
    };
    expect(await sendAsDraft(call, message)).toMatchObject({ ok: true });
    expect(await settled('r1')).toMatchObject({ state: 'sent' });
    expect(server.logins).toEqual([`PLAIN ${USER}`]);

    // The user changes the password at the provider, then in Mailroom.
    const replaced = await call('setAccountPassword', { accountId, password: SECOND });
    expect(replaced).toMatchObject({ ok: true, value: { hasPassword: true } });
    expect(await sendAsDraft(call, { ...message, requestId: 'r2' })).toMatchObject({ ok: true });
    // The server still has the old password, so the new one is what was used (and refused).
    expect(await settled('r2')).toMatchObject({ state: 'failed', error: { code: 'AUTH_FAILED' } });
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, accountId)).toBe(SECOND);

    const state = await call('getAppState', {});
    expect(state).toMatchObject({ ok: true, value: { keychain: { available: true } } });

    for (const secret of [FIRST, SECOND]) {
      expect(filesContaining(profileDir, secret)).toEqual([]);
      expect(logged.join('\n')).not.toContain(secret);
      expect(JSON.stringify(events)).not.toContain(secret);
    }
    expect(server.messages).toHaveLength(1);

    expect(await call('removeAccount', { accountId })).toEqual({ ok: true, value: {} });
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, accountId)).toBeNull();
    expect(await call('getAppState', {})).toMatchObject({
      ok: true,
      value: { accounts: [], defaultAccountId: null },
    });
    await core.services.outbox.outbox.close();
  });
});
