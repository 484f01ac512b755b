import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, wireName } from '../../../shared/ipc/channel-names';
import { createElectronStandIn, loadBuiltBundle, type StandIn } from '../../harness/electron-stand-in';

// The built preload (out/preload/index.js). A sandboxed preload can require only `electron` (and a
// few Node shims): a bundle that pulled in zod, a shared chunk or a Node module would leave the page
// without window.mailroom, and no test of the sources would notice.

const builtPreload = resolve(__dirname, '../../../out/preload/index.js');
let standIn: StandIn;
let required: string[];
let restore: () => void = () => undefined;

beforeAll(() => {
  if (!existsSync(builtPreload)) throw new Error(`${builtPreload} is missing: run \`npm run build\` first.`);
  standIn = createElectronStandIn({ userData: join(__dirname, 'unused') });
  const loaded = loadBuiltBundle(builtPreload, standIn.electron);
  required = loaded.required;
  restore = loaded.restore;
});

afterAll(() => restore());

describe('the built preload', () => {
  it('requires nothing but electron', () => {
    expect(required).toEqual(['electron']);
  });

  it('exposes one frozen window.mailroom with one function per channel and event, and nothing else', () => {
    expect([...standIn.exposed.keys()]).toEqual(['mailroom']);
    const api = standIn.exposed.get('mailroom') as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...INVOKE_CHANNELS, ...EVENT_CHANNELS.map(listenerName)].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
  });

  it('forwards a call to its own channel, and hands listeners the payload without the IPC event', async () => {
    const api = standIn.exposed.get('mailroom') as Record<string, (...args: unknown[]) => unknown>;
    await api['getAppState']!({});
    expect(standIn.rendererInvocations).toEqual([{ channel: wireName('getAppState'), payload: {} }]);

    const received: unknown[][] = [];
    const unsubscribe = api[listenerName('sendStatus')]!((...args: unknown[]) =>
      received.push(args),
    ) as () => void;
    const listeners = standIn.rendererListeners.get(wireName('sendStatus'))!;
    expect(listeners).toHaveLength(1);
    listeners[0]!({ sender: 'the IpcRendererEvent' }, { state: 'sent' });
    expect(received).toEqual([[{ state: 'sent' }]]);
    unsubscribe();
    expect(standIn.rendererListeners.get(wireName('sendStatus'))).toEqual([]);
  });

  it('turns dropped File objects into paths itself: whatever path the page names is never sent', async () => {
    const api = standIn.exposed.get('mailroom') as Record<string, (...args: unknown[]) => unknown>;
    // The stand-in's webUtils gives a dropped file's path; an object the page made has none.
    await api['attachDroppedFiles']!({
      draftId: 'draft-1234',
      files: [{ path: '/home/ada/plans.pdf' }, { name: 'passwd' }, 'not a file'],
      paths: ['/etc/passwd'],
    });
    expect(standIn.rendererInvocations.at(-1)).toEqual({
      channel: wireName('attachDroppedFiles'),
      payload: { draftId: 'draft-1234', paths: ['/home/ada/plans.pdf'] },
    });
  });
});
