// One Mailroom sending process for the benchmarks, run as `tsx mailroom-sender.ts '<json config>'`.
// It is the product's path end to end: a real profile directory, conf settings, an account created
// through the createAccount channel, messages queued as compose sends them (createDraft, sendDraft) (zod-validated
// dispatch, durable .eml + entry with fsync), delivered by the outbox's pooled SMTP connections.
// 'throughput' saves every draft first and times from the first sendDraft (see main()).
// Only the keychain is in memory (InMemorySecretStore): it is not what is measured.
// 'merge' queues the same N messages as a mail merge does: one draft (with {{name}} and {{n}}
// placeholders and the attachment), a CSV of N rows, previewMerge then startMerge through dispatch.
// Prints one JSON line with the timings (and, for 'large', the process's RSS).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createCore, loadOnDemandModules } from '../../electron/core/mailroom-core';
import { InMemorySecretStore } from '../../electron/core/credentials/secret-store';
import { openConfSettingsStore } from '../../electron/core/settings/conf-settings-store';
import { dispatch } from '../../electron/core/ipc/dispatch';
import { PASSWORD_ENV } from '../support/mta';
import { saveDraft, sendAsCompose, sendSavedDraft } from './compose-steps';

interface Config {
  mode: 'throughput' | 'large' | 'merge';
  profileDir: string;
  host: string;
  port: number;
  user: string;
  caFile: string;
  count: number;
  textFile: string;
  attachment: string;
  maxConnections?: number;
  /** 'none': plain SMTP without AUTH (smtp-sink offers neither STARTTLS nor a working AUTH). */
  security?: 'starttls' | 'none';
  /** Await each send before the next (one user sending one message after another). */
  sequential?: boolean;
  /**
   * Throughput: where the clock starts. 'send' (the default): the drafts are saved first and the
   * clock starts at the first sendDraft. 'draft': every draft is created and sent inside the timed
   * run, as the leg measured before it was timed from the hand-over (shown for comparison).
   */
  clockFrom?: 'send' | 'draft';
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const password = process.env[PASSWORD_ENV];
if (!password && config.security !== 'none') throw new Error(`${PASSWORD_ENV} is not set`);

const context = { emit: () => undefined };

async function main(): Promise<void> {
  const settings = openConfSettingsStore(config.profileDir);
  // Benchmarks send at once: no undo window. Everything else stays at its default (fsync included).
  settings.set('outbox', {
    undoDelayMs: 0,
    ...(config.maxConnections ? { maxConnectionsPerAccount: config.maxConnections } : {}),
  });
  const core = createCore({ profileDir: config.profileDir, settings, secrets: new InMemorySecretStore() });
  const { outbox } = core.services.outbox;
  await outbox.ready;
  // The core loads its send path on first use. This worker runs from the TypeScript sources, so that
  // first use would also transpile it (about 100 ms, and its garbage) inside the timed run; the
  // shipped app and CLI load it prebuilt. Loaded before the clock starts, as the CLI's build does.
  await loadOnDemandModules();

  const created = await dispatch(
    core.handlers as Parameters<typeof dispatch>[0],
    'createAccount',
    {
      email: config.user,
      displayName: 'Bench Sender',
      smtp:
        config.security === 'none'
          ? { host: config.host, port: config.port, security: 'none', authMethod: 'none' }
          : {
              host: config.host,
              port: config.port,
              security: 'starttls',
              authMethod: 'password',
              username: config.user,
              caFile: config.caFile,
            },
      ...(config.security === 'none' ? {} : { password }),
      credentialMode: 'keychain',
    },
    context,
  );
  if (!created.ok) throw new Error(`createAccount: ${created.error.message}`);
  const accountId = (created.value as { id: string }).id;
  const text = readFileSync(config.textFile, 'utf8');

  const done = new Set<string>();
  let started = 0;
  const failed: string[] = [];
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((r) => (allDone = r));
  // When the first message went, and how many had gone once the last was queued: how much of the
  // sending overlapped the queueing.
  let firstSentMs: number | undefined;
  outbox.subscribe(({ entry }) => {
    if (!entry || done.has(entry.id)) return;
    if (entry.state === 'sent' || entry.state === 'failed') {
      firstSentMs ??= performance.now() - started;
      done.add(entry.id);
      if (entry.state === 'failed') failed.push(entry.lastError?.message ?? 'failed');
      if (done.size === config.count) allDone();
    }
  });

  // The memory leg's baseline is taken after a collection; without gc() it would silently be not.
  if (config.mode === 'large' && !global.gc) throw new Error('the large-message run needs --expose-gc');
  global.gc?.();
  const start = process.memoryUsage();
  const baseline = start.rss;
  let peak = baseline;
  // Per phase (compose = until sendDraft answers, delivery = after): where the growth happens, and
  // how much of it is Node's Buffers (dead ones included, until V8 collects them) vs the JS heap.
  let phase: 'compose' | 'delivery' = 'compose';
  const phases = {
    compose: { rss: start.rss, arrayBuffers: start.arrayBuffers, heapUsed: start.heapUsed },
    delivery: { rss: start.rss, arrayBuffers: start.arrayBuffers, heapUsed: start.heapUsed },
  };
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    const p = phases[phase];
    p.rss = Math.max(p.rss, m.rss);
    p.arrayBuffers = Math.max(p.arrayBuffers, m.arrayBuffers);
    p.heapUsed = Math.max(p.heapUsed, m.heapUsed);
  };
  // Only the memory leg reads the samples; elsewhere the sampling would be CPU on the measured side
  // alone (the peers are not sampled).
  const sampler = config.mode === 'large' ? setInterval(sample, 10) : undefined;

  const call = (channel: string, payload: unknown) =>
    dispatch(core.handlers as Parameters<typeof dispatch>[0], channel, payload, context);
  // As compose sends: a draft, its file by grant (the host vouches for it), then sendDraft.
  const issueGrant = (path: string) => core.services.attachmentGrants.issue(path);
  const fieldsOf = (i: number) => ({
    accountId,
    to: [{ address: `rcpt${i}@mailroom.test` }],
    subject: `Benchmark message ${i}`,
    text,
  });
  const send = (i: number): Promise<void> => sendAsCompose(call, issueGrant, fieldsOf(i), config.attachment);
  // As the Send to a list dialog does: the draft as saved, a preview, then the job.
  const merge = async (): Promise<void> => {
    const draftId = await saveDraft(
      call,
      issueGrant,
      { accountId, subject: MERGE_SUBJECT, text: `${MERGE_GREETING}\n\n${text}` },
      config.attachment,
    );
    const csv = { text: mergeCsv(config.count), fileName: 'bench.csv' };
    const preview = await call('previewMerge', { draftId, csv, previewRows: 5 });
    if (!preview.ok) throw new Error(`previewMerge: ${preview.error.message}`);
    const started = await call('startMerge', { draftId, csv });
    if (!started.ok) throw new Error(`startMerge: ${started.error.message}`);
    const { queued } = started.value as { queued: number };
    if (queued !== config.count) throw new Error(`startMerge queued ${queued} of ${config.count} rows`);
  };
  // Throughput: the drafts exist before Send is pressed (compose saves them while the user types),
  // so they are saved first, untimed but reported; the clock starts when the messages are handed
  // to the outbox, as nodemailer's starts at sendMail.
  let draftsMs: number | undefined;
  let drafts: string[] = [];
  const fromDraft = config.clockFrom === 'draft';
  if (config.mode === 'throughput' && !config.sequential && !fromDraft) {
    const saving = performance.now();
    drafts = await Promise.all(
      Array.from({ length: config.count }, (_, i) =>
        saveDraft(call, issueGrant, fieldsOf(i), config.attachment),
      ),
    );
    draftsMs = performance.now() - saving;
  }
  started = performance.now();
  if (config.mode === 'merge') {
    await merge();
  } else if (config.sequential) {
    for (let i = 0; i < config.count; i++) await send(i);
  } else if (config.mode === 'throughput' && !fromDraft) {
    // Like the nodemailer baseline, the caller hands over every message at once and the outbox
    // queues them as fast as the disk allows.
    await Promise.all(drafts.map((draftId) => sendSavedDraft(call, draftId)));
  } else {
    await Promise.all(Array.from({ length: config.count }, (_, i) => send(i)));
  }
  const enqueuedMs = performance.now() - started;
  const sentWhenQueued = done.size;
  sample();
  phase = 'delivery';
  await finished;
  const totalMs = performance.now() - started;
  clearInterval(sampler);
  await outbox.close();

  process.stdout.write(
    `${JSON.stringify({
      totalMs,
      enqueuedMs,
      firstSentMs,
      sentWhenQueued,
      draftsMs,
      sent: done.size - failed.length,
      failed: failed.length,
      firstError: failed[0],
      baseline,
      peakSampled: peak,
      phases: {
        compose: growthOf(phases.compose, start),
        delivery: growthOf(phases.delivery, start),
      },
      maxRss: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}

/** The merge template; bench/workers/nodemailer-sender.ts fills in the same values per row. */
const MERGE_SUBJECT = 'Benchmark message {{n}}';
const MERGE_GREETING = 'Dear {{name}},';

/** N rows: rcpt<i>@mailroom.test, a name, the row's number (as the nodemailer baseline sends them). */
function mergeCsv(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => `rcpt${i}@mailroom.test,Recipient ${i},${i}`);
  return `email,name,n\r\n${rows.join('\r\n')}\r\n`;
}

type Memory = { rss: number; arrayBuffers: number; heapUsed: number };
const growthOf = (peakOf: Memory, start: Memory): Memory => ({
  rss: peakOf.rss - start.rss,
  arrayBuffers: peakOf.arrayBuffers - start.arrayBuffers,
  heapUsed: peakOf.heapUsed - start.heapUsed,
});

main().catch((error: unknown) => {
  process.stderr.write(`mailroom-sender: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
