import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  EffectiveSendingLimits,
  MergeCsv,
  MergeJob,
  MergeJobCounts,
  MergePreview,
  MergeReceipt,
} from '../../../shared/domain/mail-merge';
import { fail, ok, type MailroomError, type Result } from '../../../shared/result';
import type { SenderIdentity } from '../outbox/message-file';
import type { Outbox } from '../outbox/outbox';
import { notOwner } from '../outbox/outbox-errors';
import { entryIdFor, MergeJobs, type MergeManifest } from './merge-jobs';
import { MergePacer, type ThrottleState } from './merge-pacer';
import type { MergePlan, MergeTemplate, planMerge as PlanMerge } from './merge-plan';

/**
 * Planning (rendering every row into a message, the CSV parser, html-to-text) is loaded when a job is
 * previewed, started or resumed: the outbox opens this class for every command that reads it.
 */
async function planMerge(...args: Parameters<typeof PlanMerge>) {
  return (await import('./merge-plan')).planMerge(...args);
}

/** Rows written to the outbox at once while a job is queued. */
const ENQUEUE_CONCURRENCY = 8;

const DAY = 24 * 3_600_000;
/** How often jobs changed by another process (a CLI pause, a crashed enqueue) are looked at. */
const REFRESH_MS = 2_000;

export interface MailMergeOptions {
  /** <profile>/outbox: the manifests live in its merge/ folder. */
  outboxDir: string;
  limits: (accountId: string) => EffectiveSendingLimits;
  identityFor: (accountId: string, identityId?: string) => Result<SenderIdentity>;
  /** The draft a job was made from is discarded once every row is queued. */
  discardDraft?: (draftId: string) => Promise<unknown>;
  /** The clock pacing decides by (tests inject one). */
  now?: () => number;
  log?: (message: string) => void;
  /** Tests drive refresh() themselves. */
  refreshMs?: number;
}

function noSendableRows(plan: MergePlan): MailroomError {
  return {
    code: 'MERGE_NO_SENDABLE_ROWS',
    message: plan.totalRows
      ? `None of the ${plan.totalRows} rows of the list can be sent: ${plan.skipped[0]?.detail ?? ''}`
      : 'The list has no rows under its first row.',
    hint: 'Fix the rows named in the preview (addresses, empty fields) or the placeholders in the message.',
    details: { skipped: plan.skipped.slice(0, 50) },
  };
}

const jobNotFound = (jobId: string): MailroomError => ({
  code: 'MERGE_JOB_NOT_FOUND',
  message: `There is no job ${jobId} in the outbox.`,
  hint: 'It may have finished and been cleared with the sent history. mailroom outbox list shows the jobs.',
});

const formatFrom = (identity: SenderIdentity) =>
  identity.name ? `${identity.name} <${identity.address}>` : identity.address;

/**
 * Mail merge: one job per list, each sendable row one outbox entry (ids fixed per job and row), the
 * job's manifest durable in the outbox folder, its entries paced by MergePacer. Pause and cancel
 * are the job's state in its manifest, so another process (the CLI while the app delivers) can
 * change them: the delivering process reads the change at its next refresh.
 */
export class MailMerge {
  readonly jobs: MergeJobs;
  readonly pacer: MergePacer;
  private outbox: Outbox | undefined;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  /** Jobs this process is writing rows for right now. */
  private readonly enqueuing = new Set<string>();
  /**
   * For a job this process is writing rows for: the first row not known to be on disk yet. A row
   * starts only once every row before it is in, so rows written side by side still go in row order.
   */
  private readonly unwrittenFrom = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private loaded = false;

  constructor(private readonly options: MailMergeOptions) {
    this.jobs = new MergeJobs(join(options.outboxDir, 'merge'));
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.error(m));
    this.pacer = new MergePacer({
      now: this.now,
      limits: options.limits,
      rowWaiting: ({ jobId, row }) => row >= (this.unwrittenFrom.get(jobId) ?? Infinity),
      jobHeld: (jobId) => {
        // Until the manifests are read, no merge entry starts: it may belong to a paused job.
        if (!this.loaded) return true;
        const state = this.jobs.get(jobId)?.state;
        return state === 'paused' || state === 'cancelled';
      },
      jobCancelled: (jobId) => this.jobs.get(jobId)?.state === 'cancelled',
      jobsRead: () => this.loaded,
      throttled: (jobId, throttle) => void this.rememberThrottle(jobId, throttle),
    });
  }

  /** Binds the outbox (made with this.pacer as its pacing) and picks up the jobs on disk. */
  attach(outbox: Outbox): Promise<void> {
    this.outbox = outbox;
    if (!this.started) {
      this.started = this.open(outbox);
      this.started.catch((error: unknown) => this.log(`merge: could not start: ${String(error)}`));
    }
    return this.started;
  }

  private async open(outbox: Outbox): Promise<void> {
    await outbox.ready;
    // The day's count survives a restart: what the sent history says went out in the last 24 hours.
    const since = this.now() - DAY;
    const sent = new Map<string, { times: number[]; lastMerge: number }>();
    for (const entry of await outbox.sentTimes()) {
      const at = entry.sentAt ? Date.parse(entry.sentAt) : NaN;
      if (!(at > since)) continue;
      let account = sent.get(entry.accountId);
      if (!account) sent.set(entry.accountId, (account = { times: [], lastMerge: -Infinity }));
      account.times.push(at);
      if (entry.merge) account.lastMerge = Math.max(account.lastMerge, at);
    }
    for (const [accountId, { times, lastMerge }] of sent) this.pacer.seed(accountId, times, lastMerge);
    await this.refresh();
    this.loaded = true;
    this.pacer.changed();
    const refreshMs = this.options.refreshMs ?? REFRESH_MS;
    if (refreshMs > 0) {
      this.timer = setInterval(() => void this.refresh(), refreshMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private requireOutbox(): Outbox {
    if (!this.outbox) throw new Error('mail merge used before its outbox was attached');
    return this.outbox;
  }

  /** Picks up jobs other processes changed; the deliverer also finishes cut-short enqueues and cancels. */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const outbox = this.requireOutbox();
    // The host is quitting: a job cut short is finished at the next start instead.
    if (outbox.isClosed) {
      this.stop();
      return;
    }
    let changed: string[];
    try {
      changed = await this.jobs.refresh();
    } catch (error) {
      this.log(`merge: could not read the jobs: ${String(error)}`);
      return;
    }
    for (const manifest of this.jobs.all()) {
      if (manifest.throttle) this.pacer.restoreThrottle(manifest.template.accountId, manifest.throttle);
    }
    if (!outbox.delivering) {
      if (changed.length) this.pacer.changed();
      return;
    }
    // A job another process queued: its entries are on disk, not yet in this process's memory.
    if (changed.some((id) => this.jobs.get(id)?.rows.some((r) => !outbox.get(r.entryId))))
      await outbox.pickUp();
    for (const manifest of this.jobs.all()) {
      if (manifest.state === 'enqueuing') {
        if (this.mayResume(manifest)) await this.resume(manifest);
        continue;
      }
      if (manifest.state === 'cancelled') await this.cancelEntries(manifest);
      if (await this.finishedAndCleared(manifest)) await this.jobs.remove(manifest.id);
    }
    if (changed.length) this.pacer.changed();
  }

  /** An enqueue cut short: finished here once its writer is gone (never two writers for one job). */
  private mayResume(manifest: MergeManifest): boolean {
    if (this.enqueuing.has(manifest.id)) return false;
    const pid = manifest.enqueuer?.pid;
    if (pid === undefined || pid === process.pid) return true;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'EPERM';
    }
  }

  /** Every row's entry is gone (cleared with the sent history or removed): the job has nothing left to show. */
  private async finishedAndCleared(manifest: MergeManifest): Promise<boolean> {
    const outbox = this.requireOutbox();
    if (manifest.rows.some((r) => outbox.get(r.entryId) !== undefined)) return false;
    const onDisk = await this.entriesOnDisk();
    return !manifest.rows.some((r) => onDisk.has(r.entryId));
  }

  // ------------------------------------------------------------------ preview and start

  async preview(
    template: MergeTemplate,
    csv: MergeCsv,
    fields: FieldChoice,
    previewRows: number,
  ): Promise<Result<MergePreview>> {
    const plan = await planMerge(template, csv.text, fields);
    if (!plan.ok) return plan;
    const identity = this.options.identityFor(template.accountId, template.identityId);
    if (!identity.ok) return identity;
    const p = plan.value;
    return ok({
      fields: p.fields,
      delimiter: p.delimiter,
      recipientField: p.recipientField,
      ...(p.nameField ? { nameField: p.nameField } : {}),
      placeholders: p.placeholders,
      totalRows: p.totalRows,
      sendableRows: p.rows.length,
      rows: p.rows.slice(0, previewRows).map((r) => r.rendered),
      skipped: p.skipped,
      from: formatFrom(identity.value),
      accountId: template.accountId,
      attachmentNames: template.attachments.map((a) => a.filename),
      pacing: this.pacer.status(template.accountId, p.rows.length, false),
    });
  }

  async start(
    template: MergeTemplate,
    csv: MergeCsv,
    fields: FieldChoice,
    draftId?: string,
  ): Promise<Result<MergeReceipt>> {
    const outbox = this.requireOutbox();
    await this.started;
    const plan = await planMerge(template, csv.text, fields);
    if (!plan.ok) return plan;
    if (plan.value.rows.length === 0) return fail(noSendableRows(plan.value));
    const identity = this.options.identityFor(template.accountId, template.identityId);
    if (!identity.ok) return identity;
    const id = `merge-${randomBytes(8).toString('hex')}`;
    const now = new Date(this.now()).toISOString();
    const manifest: MergeManifest = {
      version: 1,
      id,
      createdAt: now,
      updatedAt: now,
      state: 'enqueuing',
      enqueuer: { pid: process.pid },
      fileName: csv.fileName,
      from: formatFrom(identity.value),
      template: { ...template, ...(template.identityId ? { identityId: template.identityId } : {}) },
      recipientField: plan.value.recipientField,
      ...(plan.value.nameField ? { nameField: plan.value.nameField } : {}),
      rows: plan.value.rows.map((r) => ({ row: r.row, entryId: entryIdFor(id, r.row) })),
      skipped: plan.value.skipped,
      ...(draftId ? { draftId } : {}),
    };
    this.enqueuing.add(id);
    try {
      // The list first, then the manifest that names it, then the rows: a crash anywhere leaves
      // either nothing or a job that the next start finishes.
      await this.jobs.writeCsv(id, csv.text);
      await this.jobs.write(manifest);
      const queued = await this.enqueueRows(outbox, manifest, plan.value);
      if (!queued.ok) return queued;
    } catch (error) {
      return fail({
        code: (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'DISK_FULL' : 'INTERNAL',
        message: `The job could not be stored in the outbox: ${(error as Error).message}`,
        hint: 'Make room on the disk, then send to the list again.',
      });
    } finally {
      this.enqueuing.delete(id);
    }
    const job = this.describe(id);
    if (!job) return fail(jobNotFound(id));
    return ok({ jobId: id, queued: manifest.rows.length, skipped: manifest.skipped, job });
  }

  /**
   * Writes every row not in the outbox yet (its entry file decides), ENQUEUE_CONCURRENCY at a time in
   * row order (the outbox sends a job's rows in row order), then marks the job active. Rows written
   * side by side share the outbox's fsyncs; one after another, the process would wait on each.
   */
  private async enqueueRows(outbox: Outbox, manifest: MergeManifest, plan: MergePlan): Promise<Result<void>> {
    const byRow = new Map(plan.rows.map((r) => [r.row, r]));
    let failure: MailroomError | undefined;
    let next = 0;
    const written = new Set<number>();
    let firstUnwritten = 0;
    const rowIn = (index: number) => {
      written.add(index);
      const before = firstUnwritten;
      while (written.has(firstUnwritten)) firstUnwritten++;
      if (firstUnwritten === before) return;
      this.unwrittenFrom.set(manifest.id, manifest.rows[firstUnwritten]?.row ?? Infinity);
      this.pacer.changed();
    };
    this.unwrittenFrom.set(manifest.id, manifest.rows[0]?.row ?? Infinity);
    // Read before the rows are written: between taking a row and queueing it nothing may wait, so
    // rows are queued (and stamped) in row order.
    const onDisk = await this.entriesOnDisk();
    const writeRows = async (): Promise<void> => {
      while (failure === undefined && next < manifest.rows.length) {
        const index = next++;
        const { row, entryId } = manifest.rows[index]!;
        if (outbox.isClosed) {
          failure = {
            code: 'CANCELLED',
            message: 'Mailroom is quitting; the rest of the list is queued at the next start.',
            hint: 'Nothing is lost: the rows already queued stay in the outbox, and the next start of Mailroom (or mailroom outbox flush) queues and sends the rest.',
          };
          return;
        }
        const planned = byRow.get(row);
        if (!planned || onDisk.has(entryId)) {
          rowIn(index);
          continue;
        }
        const queued = await outbox.enqueue({
          ...planned.message,
          id: entryId,
          merge: { jobId: manifest.id, row },
          attachments: manifest.template.attachments,
          undoDelayMs: 0,
          typed: planned.typed,
        });
        if (!queued.ok) failure ??= queued.error;
        else rowIn(index);
      }
    };
    try {
      await Promise.all(Array.from({ length: ENQUEUE_CONCURRENCY }, writeRows));
    } finally {
      // Whatever is on disk may go now (after a failed write, the rows after it too: the next
      // attempt queues the rest, and holding them would hold them for good).
      this.unwrittenFrom.delete(manifest.id);
      this.pacer.changed();
    }
    if (failure) return fail(failure);
    // Paused or cancelled while the rows were written: that choice stands.
    await this.jobs.update(manifest.id, (current = manifest) => {
      const { enqueuer: _e, ...rest } = current;
      return { ...rest, state: current.state === 'enqueuing' ? 'active' : current.state };
    });
    if (manifest.draftId) await this.options.discardDraft?.(manifest.draftId)?.catch?.(() => undefined);
    this.pacer.changed();
    return ok(undefined);
  }

  /** The ids of the entries in the outbox folder (their entry file decides). */
  private async entriesOnDisk(): Promise<Set<string>> {
    const names = await readdir(this.options.outboxDir);
    return new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
  }

  private async resume(manifest: MergeManifest): Promise<void> {
    const outbox = this.requireOutbox();
    this.enqueuing.add(manifest.id);
    try {
      const text = await this.jobs.readCsv(manifest.id);
      const plan = await planMerge(manifest.template, text, {
        recipientField: manifest.recipientField,
        nameField: manifest.nameField,
      });
      if (!plan.ok) {
        this.log(`merge: job ${manifest.id} cannot be finished: ${plan.error.message}`);
        return;
      }
      const mine = await this.jobs.update(manifest.id, (current = manifest) => ({
        ...current,
        enqueuer: { pid: process.pid },
      }));
      const queued = await this.enqueueRows(outbox, mine ?? manifest, plan.value);
      if (!queued.ok) this.log(`merge: job ${manifest.id}: ${queued.error.message}`);
    } catch (error) {
      this.log(`merge: could not finish queueing job ${manifest.id}: ${String(error)}`);
    } finally {
      this.enqueuing.delete(manifest.id);
    }
  }

  // ------------------------------------------------------------------ the user's actions

  async pause(jobId: string): Promise<Result<MergeJob>> {
    return this.setState(jobId, 'paused');
  }

  async resumeJob(jobId: string): Promise<Result<MergeJob>> {
    return this.setState(jobId, 'active');
  }

  async cancel(jobId: string): Promise<Result<MergeJob>> {
    return this.setState(jobId, 'cancelled');
  }

  private async setState(jobId: string, state: 'active' | 'paused' | 'cancelled'): Promise<Result<MergeJob>> {
    await this.started;
    await this.jobs.refresh();
    let refused = false;
    // Applied to the manifest as it stands when its turn comes (a "slow down" may be being recorded).
    const next = await this.jobs.update(jobId, (current) => {
      if (!current) return undefined;
      if (current.state === 'cancelled' && state !== 'cancelled') {
        refused = true;
        return undefined;
      }
      // While enqueuing, the state is kept and applied when every row is in (enqueueRows keeps it).
      return current.state === 'enqueuing' && state === 'active' ? undefined : { ...current, state };
    });
    if (refused) {
      return fail({
        code: 'OUTBOX_WRONG_STATE',
        message: `The job ${jobId} was cancelled; its rows that were not sent will not go.`,
        hint: 'Send the message to the list again to start a new job.',
      });
    }
    if (!next) return fail(jobNotFound(jobId));
    if (state === 'cancelled') await this.cancelEntries(next);
    this.pacer.changed();
    return ok(this.describe(jobId)!);
  }

  /**
   * The rows not sent yet are cancelled; one on the wire finishes, and ends cancelled if it was not
   * delivered (see MergePacer.withdrawn). By the deliverer, or here when none runs.
   */
  private async cancelEntries(manifest: MergeManifest): Promise<void> {
    const outbox = this.requireOutbox();
    for (const { entryId } of manifest.rows) {
      const entry = outbox.get(entryId);
      if (entry?.state !== 'queued' && entry?.state !== 'failed') continue;
      const cancelled = await outbox.cancel(entryId);
      // Another process delivers: it cancels them when it reads the job's new state.
      if (!cancelled.ok && (cancelled.error === notOwner || cancelled.error.code !== 'OUTBOX_WRONG_STATE'))
        return;
    }
  }

  private async rememberThrottle(jobId: string, throttle: ThrottleState): Promise<void> {
    try {
      await this.jobs.update(jobId, (current) =>
        !current || current.throttle?.until === throttle.until
          ? undefined
          : { ...current, throttle: { ...throttle } },
      );
    } catch (error) {
      this.log(`merge: could not record the slower pace of job ${jobId}: ${String(error)}`);
    }
  }

  // ------------------------------------------------------------------ reading

  async list(): Promise<MergeJob[]> {
    await this.started;
    await this.jobs.refresh();
    return this.jobs.all().map((m) => this.describe(m.id)!);
  }

  describe(jobId: string): MergeJob | undefined {
    const manifest = this.jobs.get(jobId);
    if (!manifest) return undefined;
    const outbox = this.requireOutbox();
    const counts: MergeJobCounts = {
      total: manifest.rows.length,
      queued: 0,
      sending: 0,
      sent: 0,
      failed: 0,
      cancelled: 0,
      skipped: manifest.skipped.length,
    };
    for (const { entryId } of manifest.rows) {
      const entry = outbox.get(entryId);
      // Not written yet (enqueuing), or removed by the user or with the sent history.
      if (!entry) counts[manifest.state === 'enqueuing' ? 'queued' : 'cancelled']++;
      else counts[entry.state]++;
    }
    const left = counts.queued + counts.sending;
    const state =
      manifest.state === 'enqueuing' || manifest.state === 'cancelled' || left > 0 ? manifest.state : 'done';
    const held = manifest.state === 'paused' || manifest.state === 'cancelled';
    return {
      id: manifest.id,
      accountId: manifest.template.accountId,
      from: manifest.from,
      subject: manifest.template.subject,
      fileName: manifest.fileName,
      createdAt: manifest.createdAt,
      updatedAt: manifest.updatedAt,
      state,
      counts,
      pacing: this.pacer.status(manifest.template.accountId, counts.queued, held),
      skipped: manifest.skipped,
    };
  }
}

export interface FieldChoice {
  recipientField?: string | undefined;
  nameField?: string | undefined;
}
