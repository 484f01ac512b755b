import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../electron/core/ipc/dispatch';
import { ok } from '../../../shared/result';
import { SettingsUnreadableError } from '../../../electron/core/settings/settings-store';

const noEmit = { emit: () => undefined };

function handlers(overrides: Partial<Handlers>): Handlers {
  const notUsed = async () => {
    throw new Error('not used in this test');
  };
  return {
    getAppState: notUsed,
    createAccount: notUsed,
    updateAccount: notUsed,
    setAccountPassword: notUsed,
    setDefaultAccount: notUsed,
    removeAccount: notUsed,
    addIdentity: notUsed,
    updateIdentity: notUsed,
    removeIdentity: notUsed,
    setDefaultIdentity: notUsed,
    sendDraft: notUsed,
    verifySmtp: notUsed,
    cancelVerify: notUsed,
    cancelDiscovery: notUsed,
    discoverSettings: notUsed,
    openExternal: notUsed,
    listOutbox: notUsed,
    retryOutboxEntry: notUsed,
    cancelOutboxEntry: notUsed,
    reopenOutboxEntry: notUsed,
    resendSentMessage: notUsed,
    removeOutboxEntry: notUsed,
    openSentMessage: notUsed,
    saveSentMessage: notUsed,
    readSentMessage: notUsed,
    kickOutbox: notUsed,
    sendTestMessage: notUsed,
    getOAuthStatus: notUsed,
    startOAuthSignIn: notUsed,
    awaitOAuthSignIn: notUsed,
    cancelOAuthSignIn: notUsed,
    saveOAuthSignIn: notUsed,
    signOutOAuth: notUsed,
    createDraft: notUsed,
    getDraft: notUsed,
    saveDraft: notUsed,
    listDrafts: notUsed,
    discardDraft: notUsed,
    addDraftAttachments: notUsed,
    removeDraftAttachment: notUsed,
    suggestRecipients: notUsed,
    getServerLimits: notUsed,
    openComposeWindow: notUsed,
    pickAttachments: notUsed,
    attachDroppedFiles: notUsed,
    ...overrides,
  } as Handlers;
}

describe('dispatch: the path every IPC request takes', () => {
  it('rejects a channel the contract does not name', async () => {
    const result = await dispatch(handlers({}), 'runShellCommand', {}, noEmit);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('rejects an invalid payload with a message naming the field, without calling the handler', async () => {
    let called = false;
    const result = await dispatch(
      handlers({
        addIdentity: async () => {
          called = true;
          return ok({}) as never;
        },
      }),
      'addIdentity',
      { accountId: 'a', identity: { name: 'A', address: 'not an address', signature: '' } },
      noEmit,
    );
    expect(called).toBe(false);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_REQUEST');
      expect(result.error.message).toContain('identity.address');
    }
  });

  it('refuses header injection through the subject', async () => {
    const result = await dispatch(
      handlers({}),
      'saveDraft',
      { id: 'draft-00000001', content: { subject: 'Hi\r\nBcc: victim@example.com' } },
      noEmit,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('never echoes a rejected payload (it may carry a password) in the error', async () => {
    const result = await dispatch(
      handlers({}),
      'createAccount',
      {
        email: 'bad',
        displayName: 'X',
        smtp: { host: 'h', port: 99999, security: 'tls' },
        password: 'hunter2-secret',
      },
      noEmit,
    );
    expect(JSON.stringify(result)).not.toContain('hunter2-secret');
  });

  it('strips fields the contract does not name from a response, so secrets cannot leak to the renderer', async () => {
    const result = await dispatch(
      handlers({
        getAppState: async () =>
          ok({
            accounts: [],
            defaultAccountId: null,
            keychain: { available: true },
            password: 'leaked',
          } as never),
      }),
      'getAppState',
      {},
      noEmit,
    );
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('leaked');
  });

  it('skips only the response check when asked (the CLI printing listOutbox): the request is still checked', async () => {
    const listed = { entries: [], pending: 0, leaseMs: 1000, extra: 'as built' };
    const handler = handlers({ listOutbox: async () => ok(listed as never) });
    const checked = await dispatch(handler, 'listOutbox', { view: 'outbox' }, noEmit);
    expect(checked).toEqual({ ok: true, value: { entries: [], pending: 0, leaseMs: 1000 } });
    const asBuilt = await dispatch(handler, 'listOutbox', { view: 'outbox' }, noEmit, () => undefined, {
      skipResponseCheck: true,
    });
    expect(asBuilt).toEqual({ ok: true, value: listed });
    const invalid = await dispatch(handler, 'listOutbox', { view: 'nope' }, noEmit, () => undefined, {
      skipResponseCheck: true,
    });
    expect(invalid.ok ? 'ok' : invalid.error.code).toBe('INVALID_REQUEST');
  });

  it('turns a thrown error into an INTERNAL result instead of crashing the host', async () => {
    const logged: string[] = [];
    const result = await dispatch(
      handlers({
        getAppState: async () => {
          throw new Error('disk on fire');
        },
      }),
      'getAppState',
      {},
      noEmit,
      (m) => logged.push(m),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logged.join('\n')).toContain('disk on fire');
  });

  it('passes on the words of a failure the core raised on purpose, such as an unusable settings file', async () => {
    const corrupt = {
      code: 'SETTINGS_CORRUPT' as const,
      message: 'The settings file /p/config.json could not be read: it is not valid JSON.',
      hint: 'A copy was kept as config.json.corrupt-1; fix or remove the file and try again.',
    };
    const result = await dispatch(
      handlers({
        getAppState: async () => {
          throw new SettingsUnreadableError(corrupt);
        },
      }),
      'getAppState',
      {},
      noEmit,
      () => undefined,
    );
    expect(result).toEqual({ ok: false, error: corrupt });
  });
});
