import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/mailroom-core';
import { InMemorySecretStore } from '../../../electron/core/credentials/secret-store';
import { InMemorySettingsStore } from '../../../electron/core/settings/settings-store';

// A command that never touches the outbox (verify, accounts, discover) must not open it: opening
// reads the outbox folder and may take the delivery lock, work no such command should pay for.

describe('the outbox opens on first use', () => {
  it('stays closed while only accounts are asked about, and opens for the first outbox call', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'mailroom-outbox-lazy-'));
    const core = createCore({
      profileDir: profile,
      settings: new InMemorySettingsStore(),
      secrets: new InMemorySecretStore(),
      deliverOutbox: false,
    });
    const noEmit = { emit: () => undefined };
    expect(await core.handlers.getAppState({}, noEmit)).toMatchObject({ ok: true });
    expect(core.outboxOpened()).toBe(false);
    expect(existsSync(join(profile, 'outbox'))).toBe(false);

    expect(await core.handlers.listOutbox({ view: 'outbox' }, noEmit)).toMatchObject({ ok: true });
    expect(core.outboxOpened()).toBe(true);
    expect(existsSync(join(profile, 'outbox'))).toBe(true);
    await core.services.outbox.outbox.close();
    rmSync(profile, { recursive: true, force: true });
  });
});
