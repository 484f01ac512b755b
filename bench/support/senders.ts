import { join } from 'node:path';
import type { BenchContext } from './context';
import { runWorker } from './processes';
import { formatMs, summarize } from './stats';
import type { ThroughputFixtures } from './fixtures';
import type { PostfixDovecot } from '../../test/harness/postfix-dovecot';

/** What a sender worker (bench/workers/*-sender.ts) prints when its batch is done. */
export interface SenderResult {
  totalMs: number;
  /** Mailroom only: when the last message was safely queued (on disk). */
  enqueuedMs?: number;
  /** Mailroom only: when the first message was sent, and how many were once the last was queued. */
  firstSentMs?: number;
  sentWhenQueued?: number;
  /** Mailroom throughput only: saving the drafts before the clock starts. */
  draftsMs?: number;
  sent: number;
  failed: number;
  firstError?: string;
}

/** Mailroom's default maxConnectionsPerAccount; every nodemailer baseline gets the same pool size. */
export const CONNECTIONS = 2;

/** A sender worker's settings for `count` messages to the bench's Postfix (STARTTLS, AUTH, its CA). */
export function postfixSender(mta: PostfixDovecot, count: number, fixtures: ThroughputFixtures) {
  return {
    host: mta.host,
    port: mta.submissionPort,
    user: mta.user,
    caFile: mta.caFile,
    count,
    ...fixtures,
    maxConnections: CONNECTIONS,
  };
}

export interface SenderPairs {
  /** Mailroom's time to the last 'sent', per run. */
  mailroom: number[];
  /** When Mailroom had everything queued (on disk), per run. */
  enqueued: number[];
  /** When Mailroom's first message was sent, per run. */
  firstSent: number[];
  /** Saving Mailroom's drafts before its clock started, per run (throughput mode). */
  drafts: number[];
  /** nodemailer's time to the last resolved send, per run. */
  nodemailer: number[];
  /** With `mailroomFromDraft`: Mailroom timed from the first createDraft, per run. */
  fromDraft: number[];
}

/**
 * Runs the Mailroom sender and the nodemailer sender `runs` times each, interleaved and alternating
 * who goes first (so drift in the machine's load favours neither), each in a fresh process, and
 * fails the benchmark if a message did not go.
 */
export async function runSenderPairs(
  ctx: BenchContext,
  options: {
    /** For the progress line, e.g. "throughput", and what a run sends, e.g. "1000 messages". */
    label: string;
    what: string;
    runs: number;
    count: number;
    /** Each Mailroom run gets its own profile below this folder. */
    dir: string;
    mailroom: Record<string, unknown>;
    nodemailer: Record<string, unknown>;
    /** Against the bench's Postfix: its password for the workers, and a drain after every run. */
    postfix?: boolean;
    /** Also time Mailroom from the first createDraft (drafts made inside the run), after its leg. */
    mailroomFromDraft?: boolean;
  },
): Promise<SenderPairs> {
  const { count, runs } = options;
  const env = options.postfix ? ctx.mta.secretEnv() : undefined;
  const check = (who: string, r: SenderResult) => {
    if (r.failed || r.sent !== count)
      throw new Error(`${who}: ${r.failed} of ${count} messages failed: ${r.firstError ?? ''}`);
  };
  const pairs: SenderPairs = {
    mailroom: [],
    enqueued: [],
    firstSent: [],
    drafts: [],
    nodemailer: [],
    fromDraft: [],
  };
  const drain = async () => {
    if (!options.postfix) return;
    ctx.expectDelivered(count);
    await ctx.settle();
  };
  for (let run = 0; run < runs; run++) {
    const legs =
      run % 2 === 0 ? (['mailroom', 'nodemailer'] as const) : (['nodemailer', 'mailroom'] as const);
    for (const leg of legs) {
      ctx.progress(`${options.label}: ${leg}, ${options.what}, run ${run + 1}/${runs}`);
      if (leg === 'mailroom') {
        const profileDir = join(options.dir, `profile-${run}`);
        const r = await runWorker<SenderResult>(
          'mailroom-sender.ts',
          [JSON.stringify({ ...options.mailroom, profileDir })],
          env ? { env } : {},
        );
        check('Mailroom', r);
        pairs.mailroom.push(r.totalMs);
        pairs.enqueued.push(r.enqueuedMs ?? NaN);
        pairs.firstSent.push(r.firstSentMs ?? NaN);
        if (r.draftsMs !== undefined) pairs.drafts.push(r.draftsMs);
        if (options.mailroomFromDraft) {
          await drain();
          ctx.progress(`${options.label}: mailroom timed from createDraft, run ${run + 1}/${runs}`);
          const d = await runWorker<SenderResult>(
            'mailroom-sender.ts',
            [JSON.stringify({ ...options.mailroom, clockFrom: 'draft', profileDir: `${profileDir}-draft` })],
            env ? { env } : {},
          );
          check('Mailroom (from createDraft)', d);
          pairs.fromDraft.push(d.totalMs);
        }
      } else {
        const r = await runWorker<SenderResult>(
          'nodemailer-sender.ts',
          [JSON.stringify(options.nodemailer)],
          env ? { env } : {},
        );
        check('nodemailer', r);
        pairs.nodemailer.push(r.totalMs);
      }
      await drain();
    }
  }
  return pairs;
}

/**
 * Where a Mailroom run's time went, for its measurement note (medians): when every message was
 * queued, when the first was sent, and the drafts saved before the clock started.
 */
export function mailroomPhases(pairs: SenderPairs): string {
  const median = (values: number[]) => formatMs(summarize(values).median);
  const parts = [`all queued (on disk) after ${median(pairs.enqueued)}`];
  if (pairs.firstSent.every(Number.isFinite)) parts.push(`first sent after ${median(pairs.firstSent)}`);
  if (pairs.drafts.length) parts.push(`the drafts saved beforehand in ${median(pairs.drafts)} (not timed)`);
  return parts.join('; ');
}
