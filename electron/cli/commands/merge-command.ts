import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { HeaderTextSchema } from '../../../shared/domain/account';
import { formatDateTime } from '../../../shared/domain/date-time';
import type { MergeJob, MergePreview, MergeRequestInput } from '../../../shared/domain/mail-merge';
import { MergeJobIdSchema } from '../../../shared/domain/mail-merge';
import { quoteValue } from '../../../shared/domain/quoted-value';
import type { CliSession } from '../cli-session';
import type { HumanOutput } from '../output/human-output';
import { charsetOption, readTextFile } from '../text-input';
import { UsageError, parseCommandArgs } from '../usage-error';
import { findAccount, sendingAccount } from './accounts-commands';
import { COMMON_OPTIONS, failed, type Command, type CommandOutcome } from './command';
import { fileOption } from './verify-command';

const NAME = 'merge';

const when = (iso: string | undefined) => (iso ? formatDateTime(iso) : '');

/** One job in a line or two: progress per row, state, and when the rest goes. */
export function printJob(human: HumanOutput, job: MergeJob): void {
  const { counts, pacing } = job;
  const parts = [`${counts.sent} of ${counts.total} sent`];
  if (counts.sending) parts.push(`${counts.sending} sending`);
  if (counts.queued) parts.push(`${counts.queued} waiting`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.cancelled) parts.push(`${counts.cancelled} cancelled`);
  if (counts.skipped) parts.push(`${counts.skipped} left out`);
  human.line(`${job.id}  ${job.state}  ${job.fileName}  ${quoteValue(job.subject)}: ${parts.join(', ')}`);
  const pace = [
    pacing.limits.perMinute ? `${pacing.limits.perMinute}/minute` : '',
    pacing.limits.perDay ? `${pacing.limits.perDay}/day` : '',
  ].filter(Boolean);
  const limits = pace.length
    ? `limits ${pace.join(', ')} (${pacing.limits.source === 'account' ? 'set for the account' : `${pacing.limits.providerName ?? 'provider'}'s`})`
    : 'no sending limits known';
  const times = [
    pacing.throttledUntil ? `slowed down by the server until ${when(pacing.throttledUntil)}` : '',
    pacing.nextSendAt ? `next ${when(pacing.nextSendAt)}` : '',
    pacing.estimatedDoneAt && job.state === 'active' ? `the rest by ${when(pacing.estimatedDoneAt)}` : '',
  ].filter(Boolean);
  human.line(`    ${[limits, ...times].join('; ')}`);
}

function printPreview(human: HumanOutput, preview: MergePreview, full: boolean): void {
  human.line(
    `From ${preview.from}: ${preview.sendableRows} of ${preview.totalRows} rows would be sent (addresses from “${preview.recipientField}”).`,
  );
  if (preview.attachmentNames.length) human.line(`Attached to each: ${preview.attachmentNames.join(', ')}`);
  for (const [i, row] of preview.rows.entries()) {
    human.line(
      `Row ${row.row}: To ${row.toName ? `${row.toName} <${row.to}>` : row.to}  Subject: ${row.subject}`,
    );
    if (full && i === 0) {
      human.line('');
      for (const line of row.text.split('\n')) human.line(`    ${line}`);
      human.line('');
    }
  }
  for (const skipped of preview.skipped) human.note(`Left out: ${skipped.detail}`);
  const { pacing } = preview;
  if (pacing.estimatedDoneAt && pacing.limits.source !== 'none')
    human.note(`At the account's limits, the last would go ${when(pacing.estimatedDoneAt)}.`);
}

export const mergeCommand: Command = {
  name: NAME,
  summary: 'Send a personalised message to every row of a CSV list, paced to the account’s limits',
  help: `Usage: mailroom merge --csv FILE [--from ACCOUNT-ID|ADDRESS] --subject TEMPLATE
                      (--text-file FILE | --html-file FILE) [--attach FILE]…
                      [--recipient-field NAME] [--name-field NAME] [--charset NAME]
                      [--dry-run] [--json] [--profile DIR]

One message per row of the list, each to the row's own address. The first row of the CSV names the
fields (UTF-8, with or without a BOM; "," or ";" between fields; quoted fields may hold either); the
subject and the body use them as {{field}}, e.g. --subject "Invitation for {{name}}". Values are
HTML-escaped in an HTML body. Rows with a bad or repeated address, or an empty value for a field
the message uses, are left out and listed: never sent. The rows go into the outbox as one job, paced
to the account's sending limits (the provider's, or those set for the account); the Mailroom app or
mailroom outbox flush sends them. mailroom outbox list shows the job's progress;
mailroom outbox pause|resume|cancel JOB controls it.

  --csv FILE              the list
  --from REF              the account (id or an address it sends from); default: the default account
  --subject TEMPLATE      the subject, with {{field}} placeholders
  --text-file FILE        the plain-text body; or --html-file FILE for an HTML body
  --attach FILE           attach a file to every message; repeat for more
  --recipient-field NAME  the column with the addresses (default: one named email, e-mail, mail, address or to)
  --name-field NAME       the column with the recipient's name (default: one named name, if any)
  --charset NAME          the encoding of the list and the body file (default UTF-8)
  --dry-run               print what would be sent (every row's To and Subject, the first body) and queue nothing
  --json                  print one JSON document: {ok, jobId, queued, skipped:[{row, reason, detail}], job}
                          (--dry-run: {ok, dryRun: true, preview})

Exit codes: 0 queued (or, with --dry-run, at least one row can be sent), 1 nothing queued (the code
is in the output), 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      NAME,
      args,
      {
        ...COMMON_OPTIONS,
        csv: { type: 'string' },
        from: { type: 'string' },
        subject: { type: 'string' },
        'text-file': { type: 'string' },
        'html-file': { type: 'string' },
        attach: { type: 'string', multiple: true },
        'recipient-field': { type: 'string' },
        'name-field': { type: 'string' },
        charset: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      false,
    );
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`, NAME);
    const { io } = context;
    if (values.csv === undefined) throw new UsageError('--csv FILE is required', NAME);
    if (values.subject === undefined) throw new UsageError('--subject is required', NAME);
    const subject = HeaderTextSchema.safeParse(values.subject);
    if (!subject.success)
      throw new UsageError(
        `--subject ${quoteValue(values.subject)}: ${subject.error.issues[0]?.message ?? 'invalid'}`,
        NAME,
      );
    if ((values['text-file'] === undefined) === (values['html-file'] === undefined))
      throw new UsageError('give the body with either --text-file or --html-file', NAME);
    const decoder = charsetOption(NAME, values.charset);
    const dryRun = values['dry-run'] === true;

    const session = context.session(values.profile, values.json);
    // Queue only: a paced job can take days; the app or mailroom outbox flush delivers it.
    session.outbox('quiet');
    const { human } = session;

    const files = (values.attach ?? []).map((a) => fileOption(io.cwd, a)!);
    for (const path of files) {
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile())
        return failed(session, {
          code: 'FILE_NOT_FOUND',
          message: `--attach ${path}: ${info ? 'is not a file' : 'no such file'}. Nothing was queued.`,
          hint: 'Check the path of the attachment.',
        });
    }
    const csvPath = fileOption(io.cwd, values.csv)!;
    const csv = await readTextFile(csvPath, '--csv', NAME, decoder);
    if (typeof csv !== 'string') return failed(session, csv);
    const html = values['html-file'] !== undefined;
    const body = await readTextFile(
      fileOption(io.cwd, values['html-file'] ?? values['text-file'])!,
      html ? '--html-file' : '--text-file',
      NAME,
      decoder,
    );
    if (typeof body !== 'string') return failed(session, body);

    const sender = await sendingAccount(session, values.from);
    if ('error' in sender) return failed(session, sender.error);

    // The same way through the core as the compose window: a draft with the message and its files.
    const draft = await session.call('createDraft', {
      accountId: sender.account.id,
      ...(sender.identityId ? { identityId: sender.identityId } : {}),
      subject: values.subject,
      ...(html ? { mode: 'rich' as const, html: body, text: '' } : { mode: 'plain' as const, text: body }),
    });
    if (!draft.ok) return failed(session, draft.error);
    const draftId = draft.value.id;
    const discard = () => session.call('discardDraft', { id: draftId });
    if (files.length) {
      const grants = files.map((path) => session.services.attachmentGrants.issue(path));
      const attached = await session.call('addDraftAttachments', { draftId, grants });
      if (!attached.ok) {
        await discard();
        return failed(session, attached.error);
      }
    }
    const request: MergeRequestInput = {
      draftId,
      csv: { text: csv, fileName: basename(csvPath) },
      ...(values['recipient-field'] !== undefined ? { recipientField: values['recipient-field'] } : {}),
      ...(values['name-field'] !== undefined ? { nameField: values['name-field'] } : {}),
    };

    if (dryRun) {
      const preview = await session.call('previewMerge', { ...request, previewRows: 10_000 });
      await discard();
      if (!preview.ok) return failed(session, preview.error);
      printPreview(human, preview.value, true);
      human.line('Dry run: nothing was queued.');
      return {
        exitCode: preview.value.sendableRows > 0 ? 0 : 1,
        document: { ok: preview.value.sendableRows > 0, dryRun: true, preview: preview.value },
      };
    }
    const started = await session.call('startMerge', request);
    if (!started.ok) {
      await discard();
      return failed(
        session,
        started.error,
        started.error.details?.['skipped'] ? { skipped: started.error.details['skipped'] } : {},
      );
    }
    const { jobId, queued, skipped, job } = started.value;
    for (const row of skipped) human.note(`Left out: ${row.detail}`);
    human.line(
      `Queued ${queued} message(s) as job ${jobId}${skipped.length ? ` (${skipped.length} row(s) left out)` : ''}.`,
    );
    printJob(human, job);
    human.line('The Mailroom app sends them, or run: mailroom outbox flush');
    return { exitCode: 0, document: { ok: true, jobId, queued, skipped, job } };
  },
};

/** `outbox pause JOB` / `outbox resume JOB` / `outbox cancel JOB`: a merge job's state, by id. */
async function jobAction(
  session: CliSession,
  action: 'pauseMerge' | 'resumeMerge' | 'cancelMerge',
  jobId: string,
): Promise<CommandOutcome> {
  const done = await session.call(action, { jobId });
  if (!done.ok) return failed(session, done.error);
  printJob(session.human, done.value);
  return { exitCode: 0, document: { ok: true, job: done.value } };
}

function jobCommand(
  verb: 'pause' | 'resume',
  action: 'pauseMerge' | 'resumeMerge',
  summary: string,
  help: string,
): Command {
  const name = `outbox ${verb}`;
  return {
    name,
    summary,
    help: `Usage: mailroom ${name} JOB [--json] [--profile DIR]

${help} JOB is the id mailroom merge printed (mailroom outbox list shows it).

Exit codes: 0 done, 1 failed (the code is in the output), 2 usage error.`,
    async run(args, context) {
      const { values, positionals } = parseCommandArgs(name, args, COMMON_OPTIONS, true);
      const [jobId, extra] = positionals;
      if (!jobId || extra !== undefined) throw new UsageError('expected one job id', name);
      if (!MergeJobIdSchema.safeParse(jobId).success)
        throw new UsageError(
          `${quoteValue(jobId)} is not a job id (they look like merge-1a2b3c4d5e6f7a8b)`,
          name,
        );
      const session = context.session(values.profile, values.json);
      session.outbox('quiet');
      return jobAction(session, action, jobId);
    },
  };
}

export const outboxPauseCommand = jobCommand(
  'pause',
  'pauseMerge',
  'Pause a mail-merge job',
  'Holds the job: no more of its messages go (one already on the wire finishes) until mailroom outbox resume JOB.',
);
export const outboxResumeCommand = jobCommand(
  'resume',
  'resumeMerge',
  'Resume a paused mail-merge job',
  'Lets a paused job go on, at the account’s pace.',
);

/** For `outbox cancel`: a job id cancels the rows of that job not sent yet. */
export function isMergeJobId(id: string | undefined): id is string {
  return id !== undefined && MergeJobIdSchema.safeParse(id).success;
}

export function cancelMergeJob(session: CliSession, jobId: string): Promise<CommandOutcome> {
  return jobAction(session, 'cancelMerge', jobId);
}

/** For `outbox list`: every job with its progress (nothing when there are none). */
export async function listMergeJobs(session: CliSession): Promise<MergeJob[]> {
  const listed = await session.call('listMergeJobs', {});
  if (!listed.ok) return [];
  if (listed.value.jobs.length) session.human.line('Mail-merge jobs:');
  for (const job of listed.value.jobs) printJob(session.human, job);
  return listed.value.jobs;
}

function limitOption(option: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${option} must be a whole number of messages, or none`, 'accounts limits');
  return n;
}

const describeLimits = (l: { perMinute: number | null; perDay: number | null }) =>
  [l.perMinute ? `${l.perMinute} a minute` : '', l.perDay ? `${l.perDay} a day` : '']
    .filter(Boolean)
    .join(', ') || 'none';

export const accountsLimitsCommand: Command = {
  name: 'accounts limits',
  summary: 'Show or set how many messages an account may send (mail merge is paced to it)',
  help: `Usage: mailroom accounts limits ACCOUNT-ID|ADDRESS [--per-minute N|none] [--per-day N|none] [--clear]
                               [--json] [--profile DIR]

Shows the limits a mail merge from this account is paced to: the provider's published ones (with the
page that says so), or your own. Set your own for your own server (its policy), or lower than the
provider's; --clear goes back to the provider's.

Exit codes: 0 shown or set, 1 failed (the code is in the output), 2 usage error.`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      'accounts limits',
      args,
      {
        ...COMMON_OPTIONS,
        'per-minute': { type: 'string' },
        'per-day': { type: 'string' },
        clear: { type: 'boolean' },
      },
      true,
    );
    const [ref, extra] = positionals;
    if (!ref || extra !== undefined) throw new UsageError('expected one account', 'accounts limits');
    const perMinute = limitOption('--per-minute', values['per-minute']);
    const perDay = limitOption('--per-day', values['per-day']);
    const setting = perMinute !== undefined || perDay !== undefined;
    if (setting && values.clear)
      throw new UsageError('use either --clear or the limits, not both', 'accounts limits');
    const session = context.session(values.profile, values.json);
    const state = await session.call('getAppState', {});
    if (!state.ok) return failed(session, state.error);
    const found = findAccount(state.value.accounts, ref);
    if ('error' in found) return failed(session, found.error);
    const accountId = found.account.id;
    let result;
    if (values.clear) result = await session.call('setSendingLimits', { accountId, limits: null });
    else if (setting) {
      const current = await session.call('getSendingLimits', { accountId });
      if (!current.ok) return failed(session, current.error);
      const own = current.value.own ?? { perMinute: null, perDay: null };
      result = await session.call('setSendingLimits', {
        accountId,
        limits: {
          perMinute: perMinute === undefined ? own.perMinute : perMinute,
          perDay: perDay === undefined ? own.perDay : perDay,
        },
      });
    } else result = await session.call('getSendingLimits', { accountId });
    if (!result.ok) return failed(session, result.error);
    const { own, provider, effective } = result.value;
    const { human } = session;
    human.line(`Your own limits: ${own ? describeLimits(own) : 'none set'}`);
    human.line(
      `${provider?.providerName ?? 'The provider'}'s: ${provider ? `${describeLimits(provider)}${provider.note ? ` (${provider.note})` : ''}${provider.sourceUrl ? `, ${provider.sourceUrl}` : ''}` : 'not known'}`,
    );
    human.line(`A mail merge from this account goes at: ${describeLimits(effective)}`);
    return { exitCode: 0, document: { ok: true, ...result.value } };
  },
};

/** Registered in cli-main.ts. */
export const MERGE_COMMANDS: readonly Command[] = [
  mergeCommand,
  outboxPauseCommand,
  outboxResumeCommand,
  accountsLimitsCommand,
];
