// How the outbox's cost grows with its size, run as `tsx mailroom-scaling.ts '<json config>'`.
// Three phases in one profile, each through a fresh core as a new process would open it:
// queue N messages as compose sends them (createDraft, addDraftAttachments, sendDraft) with delivery
// off, then deliver all N from the queue, then list the outbox (both views, as `mailroom outbox list`
// does) from a core that does not deliver. Prints one JSON line with the three timings.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createCore, loadOnDemandModules } from '../../electron/core/mailroom-core';
import { InMemorySecretStore } from '../../electron/core/credentials/secret-store';
import { openConfSettingsStore } from '../../electron/core/settings/conf-settings-store';
import { dispatch } from '../../electron/core/ipc/dispatch';
import { sendAsCompose } from './compose-steps';

interface Config {
  profileDir: string;
  host: string;
  port: number;
  count: number;
  textFile: string;
  attachment: string;
  maxConnections: number;
  /** How many sends the caller keeps outstanding while queueing (a mail merge hands them over in turn). */
  window: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const context = { emit: () => undefined };
const settings = openConfSettingsStore(config.profileDir);
settings.set('outbox', { undoDelayMs: 0, maxConnectionsPerAccount: config.maxConnections });
const secrets = new InMemorySecretStore();

function open(deliverOutbox: boolean) {
  const core = createCore({ profileDir: config.profileDir, settings, secrets, deliverOutbox });
  const call = (channel: string, payload: unknown) =>
    dispatch(core.handlers as Parameters<typeof dispatch>[0], channel, payload, context);
  return { core, call };
}

async function queueAll(): Promise<number> {
  const { core, call } = open(false);
  const created = await call('createAccount', {
    email: 'bench@mailroom.test',
    displayName: 'Bench Sender',
    smtp: { host: config.host, port: config.port, security: 'none', authMethod: 'none' },
    credentialMode: 'keychain',
  });
  if (!created.ok) throw new Error(`createAccount: ${created.error.message}`);
  const accountId = (created.value as { id: string }).id;
  const text = readFileSync(config.textFile, 'utf8');
  const issueGrant = (path: string) => core.services.attachmentGrants.issue(path);
  const send = (i: number): Promise<void> =>
    sendAsCompose(
      call,
      issueGrant,
      { accountId, to: [{ address: `rcpt${i}@mailroom.test` }], subject: `Benchmark message ${i}`, text },
      config.attachment,
    );
  // The core loads its send path on first use. This worker runs from the TypeScript sources, so that
  // first use would also transpile it (about 100 ms, and its garbage) inside the timed run; the
  // shipped app and CLI load it prebuilt. Loaded before the clock starts, as the CLI's build does.
  await loadOnDemandModules();
  const started = performance.now();
  let next = 0;
  const caller = async () => {
    while (next < config.count) await send(next++);
  };
  await Promise.all(Array.from({ length: Math.min(config.window, config.count) }, caller));
  const ms = performance.now() - started;
  await core.services.outbox.outbox.close();
  return ms;
}

async function deliverAll(): Promise<{ ms: number; sent: number; failed: number; firstError?: string }> {
  const started = performance.now();
  const { core } = open(true);
  const { outbox } = core.services.outbox;
  const done = new Set<string>();
  const failed: string[] = [];
  const finished = new Promise<void>((resolve) => {
    outbox.subscribe(({ entry }) => {
      if (!entry || done.has(entry.id) || (entry.state !== 'sent' && entry.state !== 'failed')) return;
      done.add(entry.id);
      if (entry.state === 'failed') failed.push(entry.lastError?.message ?? 'failed');
      if (done.size === config.count) resolve();
    });
  });
  await outbox.ready;
  await finished;
  const ms = performance.now() - started;
  await outbox.close();
  return { ms, sent: done.size - failed.length, failed: failed.length, firstError: failed[0] };
}

async function listBoth(): Promise<{ ms: number; entries: number }> {
  const started = performance.now();
  const { core, call } = open(false);
  const [outbox, sent] = await Promise.all([
    call('listOutbox', { view: 'outbox' }),
    call('listOutbox', { view: 'sent' }),
  ]);
  const ms = performance.now() - started;
  if (!outbox.ok || !sent.ok) throw new Error('listOutbox failed');
  const size = (r: typeof outbox) => (r.ok ? (r.value as { entries: unknown[] }).entries.length : 0);
  await core.services.outbox.outbox.close();
  return { ms, entries: size(outbox) + size(sent) };
}

async function main(): Promise<void> {
  const queueMs = await queueAll();
  const delivery = await deliverAll();
  const list = await listBoth();
  process.stdout.write(
    `${JSON.stringify({ queueMs, deliverMs: delivery.ms, ...delivery, listMs: list.ms, listed: list.entries })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`mailroom-scaling: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
