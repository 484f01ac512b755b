import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OutboxEntry } from '../../../shared/domain/outbox';
import { HeaderTextSchema } from '../../../shared/domain/account';
import type { DraftContentInput } from '../../../shared/domain/drafts';
import type { ResponseOf } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/result';
import type { MailroomError } from '../../../shared/result';
import { quoteValue } from '../../../shared/domain/quoted-value';
import { formatBytes } from '../../../shared/domain/byte-size';
import type { CliSession } from '../cli-session';
import { addressOption } from '../address-options';
import { charsetOption, decodeText, readAllBytes, readTextFile } from '../text-input';
import { UsageError, parseCommandArgs } from '../usage-error';
import { publicError } from '../output/json-output';
import { WAIT_HELP, WAIT_OPTION, isTimedOut, waitForOutcome, waitOption } from '../outbox-wait';
import { sendingAccount } from './accounts-commands';
import { fileOption } from './verify-command';
import { COMMON_OPTIONS, failed, type Command, type CommandOutcome } from './command';

const NAME = 'send';

/**
 * Queues a message exactly as the app does: a draft with the content, the files the user named
 * (the command line vouches for them, as the app's file picker does), then sendDraft, with no undo
 * window (a command sends at once). A draft the core refused is removed again: a command leaves no
 * half-sent message in the user's Drafts.
 */
async function sendAsDraft(
  session: CliSession,
  content: DraftContentInput,
  files: string[],
): Promise<Result<ResponseOf<'sendDraft'>>> {
  const draft = await session.call('createDraft', content);
  if (!draft.ok) return draft;
  const draftId = draft.value.id;
  const sent = await (async (): Promise<Result<ResponseOf<'sendDraft'>>> => {
    if (files.length > 0) {
      const grants = files.map((path) => session.services.attachmentGrants.issue(path));
      const attached = await session.call('addDraftAttachments', { draftId, grants });
      if (!attached.ok) return attached;
    }
    return session.call('sendDraft', { draftId, undo: false });
  })();
  if (!sent.ok) await session.call('discardDraft', { id: draftId });
  return sent;
}

/** Exit code of a send the server took for some recipients but refused for others. */
export const EXIT_SOME_RECIPIENTS_REFUSED = 3;

/** The outcome of one delivery as a command result (shared with `outbox retry`). */
export function deliveryOutcome(
  session: CliSession,
  entry: OutboxEntry | undefined,
  id: string,
): CommandOutcome {
  const { human } = session;
  if (!entry) {
    return failed(session, {
      code: 'OUTBOX_ENTRY_NOT_FOUND',
      message: `Message ${id} disappeared from the outbox before it was sent.`,
      hint: 'Another Mailroom window or command may have removed it. Run mailroom outbox list.',
    });
  }
  const base = { outboxId: entry.id, messageId: entry.messageId, state: entry.state };
  if (entry.state === 'sent') {
    const refused = (entry.recipients ?? []).filter((r) => !r.accepted);
    const accepted = (entry.recipients ?? []).filter((r) => r.accepted).map((r) => r.address);
    human.line(
      refused.length
        ? `Sent to ${accepted.length} of ${accepted.length + refused.length} recipients. Message-ID: ${entry.messageId}`
        : `Sent. Message-ID: ${entry.messageId}`,
    );
    human.line(`Server reply: ${entry.response ?? ''}`);
    for (const r of refused)
      human.note(`Refused by the server, not sent to ${r.address}: ${r.reply ?? 'no reason given'}`);
    if (refused.length)
      human.note('Check those addresses; the others got the message, so send it again only to them.');
    return {
      exitCode: refused.length ? EXIT_SOME_RECIPIENTS_REFUSED : 0,
      document: {
        ok: true,
        ...base,
        response: entry.response ?? '',
        accepted,
        rejected: refused.map((r) => r.address),
        ...(refused.length
          ? { refused: refused.map((r) => ({ address: r.address, reply: r.reply ?? '' })) }
          : {}),
      },
    };
  }
  if (entry.state === 'cancelled') {
    return failed(
      session,
      { code: 'CANCELLED', message: 'The message was cancelled before it was sent.' },
      base,
    );
  }
  const error: MailroomError = entry.lastError ?? { code: 'INTERNAL', message: 'The message was not sent.' };
  if (entry.state === 'queued') {
    human.error(error);
    human.note(
      `The message stays in the outbox (id ${entry.id}) and is tried again${entry.nextAttemptAt ? ` from ${entry.nextAttemptAt}` : ''} by the app or mailroom outbox flush; mailroom outbox cancel ${entry.id} drops it.`,
    );
    return {
      exitCode: 1,
      document: {
        ok: false,
        ...base,
        ...(entry.nextAttemptAt ? { nextAttemptAt: entry.nextAttemptAt } : {}),
        error: publicError(error),
      },
    };
  }
  return failed(session, error, base);
}

/** Progress while a message goes out: queued, then bytes handed to the server. */
export function deliveryProgress(session: CliSession): (entry: OutboxEntry) => void {
  const { human } = session;
  return (entry) => {
    if (entry.state === 'queued') human.progress('Waiting to send…');
    else if (entry.state === 'sending') {
      const sent = entry.bytesSent ?? 0;
      const percent = entry.size ? Math.min(100, Math.round((sent / entry.size) * 100)) : 0;
      human.progress(`Sending… ${percent}% (${formatBytes(sent)} of ${formatBytes(entry.size)})`);
    }
  };
}

export const sendCommand: Command = {
  name: NAME,
  summary: 'Send a message through the outbox (with attachments)',
  help: `Usage: mailroom send [--from ACCOUNT-ID|ADDRESS] --to ADDRESS [--to …] [--cc …] [--bcc …]
                     --subject SUBJECT (--text TEXT | --text-file FILE | body on stdin)
                     [--html-file FILE] [--charset NAME] [--attach FILE]… [--queue-only]
                     [--wait SECONDS] [--json] [--profile DIR]

Puts the message in the profile's outbox (stored safely on disk first) and delivers it with the
account's settings and keychain password. Waits until the server accepted it and prints the
Message-ID and the server's reply. If the app is running it delivers the outbox; the command then
waits for it.

  --from REF        the account (id or an address it sends from); default: the default account
  --to/--cc/--bcc   recipients; repeat for more
  --subject TEXT    the subject
  --text TEXT       the plain-text body; or --text-file FILE; or pipe the body on stdin
  --html-file FILE  an HTML version of the body
  --charset NAME    the encoding of --text-file, --html-file and stdin (default UTF-8; e.g.
                    windows-1252, latin1, utf-16le). Text that is not valid in it is refused.
  --attach FILE     attach a file; repeat for more
  --queue-only      only put the message in the outbox; the app or mailroom outbox flush sends it
${WAIT_HELP}
  --json            print one JSON document: {ok, outboxId, messageId, state, response, accepted,
                    rejected, refused?: [{address, reply}], error?}

Exit codes:
  0  the server accepted the message for every recipient (or, with --queue-only, it is queued)
  1  not sent (the code is in the output; a temporary failure leaves it queued for retry)
  2  usage error (nothing was queued)
  3  sent, but the server refused some recipients: each is named with the server's reply`,

  async run(args, context) {
    const { values } = parseCommandArgs(
      NAME,
      args,
      {
        ...COMMON_OPTIONS,
        from: { type: 'string' },
        to: { type: 'string', multiple: true },
        cc: { type: 'string', multiple: true },
        bcc: { type: 'string', multiple: true },
        subject: { type: 'string' },
        text: { type: 'string' },
        'text-file': { type: 'string' },
        'html-file': { type: 'string' },
        charset: { type: 'string' },
        attach: { type: 'string', multiple: true },
        'queue-only': { type: 'boolean' },
        ...WAIT_OPTION,
      },
      false,
    );
    const { io } = context;
    if ((values.to ?? []).length === 0) throw new UsageError('at least one --to is required', NAME);
    // Every address is checked by the app's own rule, and refused naming its option.
    const to = (values.to ?? []).map((a) => addressOption(NAME, '--to', a));
    const cc = (values.cc ?? []).map((a) => addressOption(NAME, '--cc', a));
    const bcc = (values.bcc ?? []).map((a) => addressOption(NAME, '--bcc', a));
    const decoder = charsetOption(NAME, values.charset);
    const waitMs = waitOption(NAME, values.wait);
    if (values.subject === undefined)
      throw new UsageError('--subject is required (it may be empty: --subject "")', NAME);
    if (values.text !== undefined && values['text-file'] !== undefined)
      throw new UsageError('use either --text or --text-file, not both', NAME);
    if (values.text === undefined && values['text-file'] === undefined && io.stdin.isTTY)
      throw new UsageError('give the body with --text or --text-file, or pipe it on stdin', NAME);
    const attachments = (values.attach ?? []).map((a) => ({
      path: fileOption(io.cwd, a)!,
      filename: basename(a),
    }));
    const textFile = fileOption(io.cwd, values['text-file']);
    const htmlFile = fileOption(io.cwd, values['html-file']);
    // The subject is checked as the app checks it, before anything is opened.
    const subject = HeaderTextSchema.safeParse(values.subject);
    if (!subject.success) {
      throw new UsageError(
        `--subject ${quoteValue(values.subject)}: ${subject.error.issues[0]?.message ?? 'invalid'}`,
        NAME,
      );
    }

    const session = context.session(values.profile, values.json);
    const queueOnly = values['queue-only'] === true;
    // Only queue: stop the outbox before it could deliver anything, then add the message.
    const outbox = session.outbox(queueOnly ? 'quiet' : 'deliver');
    const { human } = session;

    for (const attachment of attachments) {
      const info = await stat(attachment.path).catch(() => undefined);
      if (!info?.isFile()) {
        return failed(session, {
          code: 'FILE_NOT_FOUND',
          message: `--attach ${attachment.path}: ${info ? 'is not a file' : 'no such file'}. The message was not queued.`,
          hint: 'Check the path of the attachment.',
        });
      }
    }
    let text: string;
    if (values.text !== undefined) text = values.text;
    else if (textFile !== undefined) {
      const read = await readTextFile(textFile, '--text-file', NAME, decoder);
      if (typeof read !== 'string') return failed(session, read);
      text = read;
    } else text = decodeText(await readAllBytes(io.stdin), 'the body on stdin', NAME, decoder);
    let html: string | undefined;
    if (htmlFile !== undefined) {
      const read = await readTextFile(htmlFile, '--html-file', NAME, decoder);
      if (typeof read !== 'string') return failed(session, read);
      html = read;
    }

    const sender = await sendingAccount(session, values.from);
    if ('error' in sender) return failed(session, sender.error);

    // The same way through the core as the compose window: a draft, its files, then sendDraft.
    const queued = await sendAsDraft(
      session,
      {
        accountId: sender.account.id,
        ...(sender.identityId ? { identityId: sender.identityId } : {}),
        to: to.map((address) => ({ address })),
        cc: cc.map((address) => ({ address })),
        bcc: bcc.map((address) => ({ address })),
        subject: values.subject,
        ...(html !== undefined ? { mode: 'rich' as const, html, text } : { mode: 'plain' as const, text }),
      },
      attachments.map((a) => a.path),
    );
    if (!queued.ok) return failed(session, queued.error);
    const entry = { id: queued.value.outboxId, messageId: queued.value.messageId };
    if (queueOnly) {
      human.line(`Queued (id ${entry.id}). Message-ID: ${entry.messageId}`);
      human.line('The Mailroom app sends it, or run: mailroom outbox flush');
      return {
        exitCode: 0,
        document: { ok: true, outboxId: entry.id, messageId: entry.messageId, state: 'queued' },
      };
    }
    if (!outbox.delivering)
      human.note(
        'Another Mailroom process (the app?) delivers this profile’s outbox: waiting for it to send the message…',
      );
    const outcome = await waitForOutcome(outbox, entry.id, 0, deliveryProgress(session), waitMs);
    if (isTimedOut(outcome)) return failed(session, outcome.timedOut, outcome.document);
    return deliveryOutcome(session, outcome, entry.id);
  },
};
