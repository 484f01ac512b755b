import { describeEntry } from '../../../shared/domain/outbox-states';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import type { MailroomError } from '../../../shared/result';
import { join } from 'node:path';
import { listOutboxEarly } from '../../core/outbox/outbox-listing';
import { profileDirOf, type CliSession } from '../cli-session';
import { UsageError, parseCommandArgs } from '../usage-error';
import { publicError } from '../output/json-output';
import { table } from '../output/human-output';
import {
  WAIT_HELP,
  WAIT_OPTION,
  isTimedOut,
  waitForOutcome,
  waitOption,
  pacedRows,
  waitUntilIdle,
} from '../outbox-wait';
import { deliveryOutcome, deliveryProgress } from './send-command';
import { cancelMergeJob, isMergeJobId, listMergeJobs } from './merge-command';
import { COMMON_OPTIONS, failed, type Command } from './command';

const notDelivering: MailroomError = {
  code: 'OUTBOX_WRONG_STATE',
  message:
    'Another Mailroom process (the app, or another command) is delivering this profile’s outbox right now.',
  hint: 'Let it deliver, or quit the app and run the command again.',
};

/** An entry by its id or a unique start of it (ids are long; `outbox list` shows them whole). */
async function resolveEntryId(
  session: CliSession,
  command: string,
  ref: string | undefined,
): Promise<string | MailroomError> {
  if (ref === undefined)
    throw new UsageError('the message id is required (see mailroom outbox list)', command);
  const listed = await Promise.all([
    session.call('listOutbox', { view: 'outbox' }),
    session.call('listOutbox', { view: 'sent' }),
  ]);
  const ids = listed.flatMap((r) => (r.ok ? r.value.entries.map((e) => e.id) : []));
  if (ids.includes(ref)) return ref;
  const matches = ref.length >= 4 ? ids.filter((id) => id.startsWith(ref)) : [];
  if (matches.length === 1 && matches[0]) return matches[0];
  return {
    code: 'OUTBOX_ENTRY_NOT_FOUND',
    message:
      matches.length > 1
        ? `${ref} is the start of ${matches.length} message ids; give more of it.`
        : `There is no message ${ref} in the outbox or sent history of ${session.profileDir}.`,
    hint: 'Run mailroom outbox list to see the ids.',
  };
}

function entryLine(e: OutboxEntry, now: number): string[] {
  return [
    e.id,
    describeEntry(e, now, (iso) => iso),
    e.to.join(', '),
    e.subject || '(no subject)',
    e.lastError ? `${e.lastError.code}: ${e.lastError.message}` : '',
  ];
}

export const outboxListCommand: Command = {
  name: 'outbox list',
  summary: 'List queued, failed and cancelled messages',
  help: `Usage: mailroom outbox list [--json] [--profile DIR]

Shows the outbox (queued, sending, failed, cancelled) and how many messages are in the sent history.
Listing never sends anything.

  --json    print one JSON document: {ok, pending, entries:[{id, state, messageId, from, to, subject,
            attempts, lastError?, …}], sent:[…]}

Exit codes: 0 listed, 1 failed (the code is in the output), 2 usage error.`,

  // Listing a large outbox folder takes as long as loading the core: start it first (it only reads).
  beforeCore(args, io) {
    const { values } = parseCommandArgs('outbox list', args, COMMON_OPTIONS, true);
    listOutboxEarly(join(profileDirOf(io, values.profile), 'outbox'));
  },

  async run(args, context) {
    const { values, positionals } = parseCommandArgs('outbox list', args, COMMON_OPTIONS, true);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'outbox list');
    const session = context.session(values.profile, values.json);
    session.outbox('quiet');
    const outbox = await session.call('listOutbox', { view: 'outbox' });
    if (!outbox.ok) return failed(session, outbox.error);
    const sent = await session.call('listOutbox', { view: 'sent' });
    if (!sent.ok) return failed(session, sent.error);
    const { human } = session;
    if (outbox.value.entries.length === 0) human.line('The outbox is empty.');
    // The table is for a person: --json prints the entries themselves (10,000 rows laid out for nothing).
    else if (!session.json) {
      const now = Date.now();
      // One write for the whole table: a write per row to a pipe costs more than laying it out.
      human.line(
        table([
          ['ID', 'STATE', 'TO', 'SUBJECT', 'PROBLEM'],
          ...outbox.value.entries.map((e) => entryLine(e, now)),
        ]).join('\n'),
      );
    }
    human.line(`${sent.value.entries.length} sent message(s) in the history.`);
    const jobs = await listMergeJobs(session);
    return {
      exitCode: 0,
      document: {
        ok: true,
        pending: outbox.value.pending,
        entries: outbox.value.entries,
        sent: sent.value.entries,
        jobs,
      },
    };
  },
};

export const outboxRetryCommand: Command = {
  name: 'outbox retry',
  summary: 'Send a queued or failed message again now',
  help: `Usage: mailroom outbox retry ID [--wait SECONDS] [--json] [--profile DIR]

Puts a failed or cancelled message back in the queue (or skips the wait of a queued one), delivers it
and waits for the server's answer, like mailroom send. ID may be a unique start of the id.

${WAIT_HELP}

Exit codes: 0 the server accepted it, 1 not sent (the code is in the output), 2 usage error,
3 sent, but the server refused some recipients (each is named with its reply).`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      'outbox retry',
      args,
      { ...COMMON_OPTIONS, ...WAIT_OPTION },
      true,
    );
    if (positionals.length > 1) throw new UsageError('expected one message id', 'outbox retry');
    const waitMs = waitOption('outbox retry', values.wait);
    const session = context.session(values.profile, values.json);
    const outbox = session.outbox('deliver');
    const id = await resolveEntryId(session, 'outbox retry', positionals[0]);
    if (typeof id !== 'string') return failed(session, id);
    const before = outbox.get(id)?.attempts ?? 0;
    const retried = await session.call('retryOutboxEntry', { id });
    if (!retried.ok) return failed(session, retried.error);
    const outcome = await waitForOutcome(outbox, id, before, deliveryProgress(session), waitMs);
    if (isTimedOut(outcome)) return failed(session, outcome.timedOut, outcome.document);
    return deliveryOutcome(session, outcome, id);
  },
};

export const outboxCancelCommand: Command = {
  name: 'outbox cancel',
  summary: 'Cancel a queued or failed message',
  help: `Usage: mailroom outbox cancel ID [--json] [--profile DIR]

Cancels a message that is queued or failed, so it is never sent. ID may be a unique start of the id,
or a mail-merge job's id (merge-…): then every row of the job not sent yet is cancelled.

Exit codes: 0 cancelled, 1 failed (the code is in the output), 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs('outbox cancel', args, COMMON_OPTIONS, true);
    if (positionals.length > 1) throw new UsageError('expected one message id', 'outbox cancel');
    const session = context.session(values.profile, values.json);
    session.outbox('quiet');
    if (isMergeJobId(positionals[0])) return cancelMergeJob(session, positionals[0]);
    const id = await resolveEntryId(session, 'outbox cancel', positionals[0]);
    if (typeof id !== 'string') return failed(session, id);
    const cancelled = await session.call('cancelOutboxEntry', { id });
    if (!cancelled.ok) return failed(session, cancelled.error);
    session.human.line(`Cancelled “${cancelled.value.subject || '(no subject)'}” (id ${id}).`);
    return { exitCode: 0, document: { ok: true, entry: cancelled.value } };
  },
};

export const outboxFlushCommand: Command = {
  name: 'outbox flush',
  summary: 'Deliver every queued message now',
  help: `Usage: mailroom outbox flush [--wait SECONDS] [--json] [--profile DIR]

Delivers every queued message now, including those waiting to retry after a temporary failure
(messages scheduled for later keep waiting, and so do mail-merge rows of a paused job or whose
pace comes after --wait), and reports what happened to each. Another process
delivering the profile's outbox (the app) makes it stop at once; one that only queues does not.

  --json            print one JSON document: {ok, sent:[…], failed:[…], queued:[…]}
${WAIT_HELP}

Exit codes: 0 everything that was tried went out, 1 something failed, is still waiting to retry or
was not sent within --wait (the codes are in the output), 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      'outbox flush',
      args,
      { ...COMMON_OPTIONS, ...WAIT_OPTION },
      true,
    );
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'outbox flush');
    const waitMs = waitOption('outbox flush', values.wait);
    const session = context.session(values.profile, values.json);
    const outbox = session.outbox('deliver');
    const touched = new Map<string, OutboxEntry>();
    const unsubscribe = outbox.subscribe(({ entry }) => {
      if (entry && entry.state !== 'queued') touched.set(entry.id, entry);
      else if (entry && touched.has(entry.id)) touched.set(entry.id, entry);
    });
    const kicked = await session.call('kickOutbox', {});
    if (!kicked.ok) return failed(session, kicked.error);
    if (!outbox.delivering) return failed(session, notDelivering);
    session.human.progress('Delivering the outbox…');
    const idle = await waitUntilIdle(outbox, waitMs);
    unsubscribe();
    const paced = await pacedRows(outbox);
    const finals = [...touched.keys()]
      .map((id) => outbox.get(id))
      .filter((e): e is OutboxEntry => e !== undefined);
    const sent = finals.filter((e) => e.state === 'sent');
    const failedEntries = finals.filter((e) => e.state === 'failed');
    const requeued = finals.filter((e) => e.state === 'queued');
    const { human } = session;
    for (const e of sent)
      human.line(
        `Sent: “${e.subject || '(no subject)'}” to ${e.to.join(', ')}  ${e.messageId}  ${e.response ?? ''}`,
      );
    for (const e of [...failedEntries, ...requeued]) {
      human.line(
        `${e.state === 'failed' ? 'Failed' : 'Will retry'}: “${e.subject || '(no subject)'}” (id ${e.id})  ${e.lastError ? `${e.lastError.code}: ${e.lastError.message}` : ''}`,
      );
    }
    human.line(`${sent.length} sent, ${failedEntries.length} failed, ${requeued.length} waiting to retry.`);
    if (paced.length > 0) {
      human.line(
        `${paced.length} mail-merge row(s) wait for their job's pace or a paused job; the app or the next mailroom outbox flush sends them (mailroom outbox list shows when).`,
      );
    }
    const brief = (e: OutboxEntry) => ({
      id: e.id,
      messageId: e.messageId,
      state: e.state,
      subject: e.subject,
      ...(e.response ? { response: e.response } : {}),
      ...(e.nextAttemptAt ? { nextAttemptAt: e.nextAttemptAt } : {}),
      ...(e.lastError && e.state !== 'sent' ? { error: publicError(e.lastError) } : {}),
    });
    if (isTimedOut(idle)) human.error(idle.timedOut);
    const ok = failedEntries.length === 0 && requeued.length === 0 && !isTimedOut(idle);
    const document: Record<string, unknown> = {
      ok,
      sent: sent.map(brief),
      failed: failedEntries.map(brief),
      queued: requeued.map(brief),
      paced: paced.map((e) => ({ id: e.id, jobId: e.merge?.jobId, row: e.merge?.row })),
      ...(isTimedOut(idle) ? idle.document : {}),
    };
    const firstProblem = isTimedOut(idle) ? idle.timedOut : [...failedEntries, ...requeued][0]?.lastError;
    if (!ok && firstProblem) document['error'] = publicError(firstProblem);
    return { exitCode: ok ? 0 : 1, document };
  },
};
