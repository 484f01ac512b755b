import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfSettingsStore } from '../../../electron/core/settings/conf-settings-store';

// The settings store keeps what it read until the file changes. Two stores on one profile stand for
// two processes (the app and the CLI): a write by either must be seen by the other's next read.
describe('settings reads between writes', () => {
  it('sees another process’s write at the next read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-settings-cache-'));
    const app = openConfSettingsStore(dir);
    const cli = openConfSettingsStore(dir);
    app.set('outbox', { undoDelayMs: 5_000 });
    expect(cli.get('outbox')).toEqual({ undoDelayMs: 5_000 });
    expect(cli.get('outbox')).toEqual({ undoDelayMs: 5_000 });
    app.set('outbox', { undoDelayMs: 0 });
    expect(cli.get('outbox')).toEqual({ undoDelayMs: 0 });
    cli.delete('outbox');
    expect(app.get('outbox')).toBeUndefined();
  });

  it('hands out copies: changing what was read does not change what the next read returns', () => {
    const store = openConfSettingsStore(mkdtempSync(join(tmpdir(), 'mailroom-settings-cache-')));
    store.set('accounts', [{ id: 'a', label: 'Work' }]);
    const first = store.get('accounts') as { label: string }[];
    first[0]!.label = 'changed in memory only';
    expect(store.get('accounts')).toEqual([{ id: 'a', label: 'Work' }]);
  });
});
