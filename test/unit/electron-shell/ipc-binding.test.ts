import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { electronFake, FakeWebContents, ipcHandlers } from './electron-fakes';
import { INVOKE_CHANNELS, wireName } from '../../../shared/ipc/channel-names';
import { createCore } from '../../../electron/core/mailroom-core';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';
import { ok } from '../../../shared/result';

vi.mock('electron', () => electronFake);

const { bindContract } = await import('../../../electron/main/ipc-binding');
const { makeOwnUrlCheck } = await import('../../../electron/main/trusted-sender');

const ownPage = pathToFileURL('/opt/Mailroom/out/renderer/index.html').href;
const ours = new FakeWebContents();
ours.mainFrame.url = ownPage;
const core = createCore({
  profileDir: '/nonexistent',
  settings: new InMemorySettingsStore(),
  secrets: new InMemorySecretStore(),
});
bindContract(
  { ...core.handlers, openExternal: async () => ok({}) } as never,
  new Set([ours]) as never,
  makeOwnUrlCheck(ownPage, undefined),
);

const invoke = (channel: string, sender: FakeWebContents, frame: { url: string } | null, payload: unknown) =>
  ipcHandlers.get(channel)!({ sender, senderFrame: frame }, payload);

describe('the IPC binding', () => {
  it('binds exactly the contract channels', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual(INVOKE_CHANNELS.map(wireName).sort());
  });

  it('answers our own window', async () => {
    await expect(invoke(wireName('getAppState'), ours, ours.mainFrame, {})).resolves.toMatchObject({
      ok: true,
    });
  });

  it('rejects a webContents that is not ours', async () => {
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = ownPage;
    await expect(invoke(wireName('getAppState'), stranger, stranger.mainFrame, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('rejects a sub-frame and a foreign URL in our own window', async () => {
    await expect(invoke(wireName('getAppState'), ours, { url: ownPage }, {})).resolves.toMatchObject({
      error: { code: 'FORBIDDEN_SENDER' },
    });
    // Our window after navigating elsewhere (navigation is blocked, but the binding does not rely on it).
    ours.mainFrame.url = 'https://evil.example/';
    try {
      await expect(invoke(wireName('getAppState'), ours, ours.mainFrame, {})).resolves.toMatchObject({
        error: { code: 'FORBIDDEN_SENDER' },
      });
    } finally {
      ours.mainFrame.url = ownPage;
    }
  });

  it('gives an invalid payload a clear validation error', async () => {
    const result = await invoke(wireName('createAccount'), ours, ours.mainFrame, { email: 'x', smtp: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect((result as { error: { message: string } }).error.message).toMatch(/email/);
  });
});
