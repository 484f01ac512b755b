import type { MailroomError } from '../../../shared/result';
import type { StoredEntry } from './outbox-store';

export function wrongState(entry: StoredEntry, action: string): MailroomError {
  const why: Record<string, string> = {
    sending: 'it is being sent right now',
    sent: 'it was already sent',
    cancelled: 'it was cancelled',
    failed: 'it failed',
    queued: 'it is still waiting to be sent',
  };
  return {
    code: 'OUTBOX_WRONG_STATE',
    message: `“${entry.subject || '(no subject)'}” cannot be ${action}: ${why[entry.state]}.`,
    hint:
      entry.state === 'sending'
        ? 'Wait until the attempt finishes; if it fails you can cancel or edit it then.'
        : 'Refresh the outbox to see its current state.',
  };
}

export const notFound = (id: string): MailroomError => ({
  code: 'OUTBOX_ENTRY_NOT_FOUND',
  message: `There is no message ${id} in the outbox or sent history.`,
  hint: 'It may have been removed after the retention period. Refresh the list.',
});

export const notOwner: MailroomError = {
  code: 'OUTBOX_WRONG_STATE',
  message:
    'Another Mailroom window or command is delivering this profile’s outbox, so this one cannot change it.',
  hint: 'Use the Mailroom app (or close it and try again here).',
};

/** Building the message failed before anything was queued: almost always a missing attachment. */
export function buildError(error: unknown): MailroomError {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
    return {
      code: 'FILE_NOT_FOUND',
      message: `An attachment could not be read (${e.path ?? 'unknown file'}): ${e.code === 'ENOENT' ? 'it does not exist any more' : 'access was denied'}. The message was not queued.`,
      hint: 'Attach the file again, or remove it from the message.',
    };
  }
  if (isDiskFull(error)) return diskFull('the message could not be stored in the outbox. It was not queued');
  return {
    code: 'INTERNAL',
    message: `The message could not be stored in the outbox: ${e.message ?? String(error)}. It was not queued.`,
    hint: 'Try again. If it keeps happening, restart Mailroom.',
  };
}

/** ENOSPC, or EDQUOT (over the user's quota): either way nothing more can be written until space is freed. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** `what`: what could not be done, as the rest of the sentence. */
export function diskFull(what: string): MailroomError {
  return {
    code: 'DISK_FULL',
    message: `The disk that holds the Mailroom profile is full, so ${what}.`,
    hint: 'Free some disk space (empty the trash, remove large files); Mailroom carries on by itself once there is room.',
  };
}

/** The stored message is not the one that was written (cut short, changed, or gone). */
export function messageFileDamaged(
  entry: StoredEntry,
  found: { size: number; sha256: string } | undefined,
): MailroomError {
  const subject = entry.subject || '(no subject)';
  const what = found
    ? found.size === entry.size
      ? 'its content has changed'
      : `it is ${found.size} bytes instead of ${entry.size}`
    : 'it is missing';
  return {
    code: 'MESSAGE_FILE_DAMAGED',
    message: `The stored copy of “${subject}” is damaged (${what}), so it was not sent: the recipients would have received a broken message.`,
    hint: 'Use Edit to open it in compose and send it again; check the disk if this happens more than once.',
  };
}

/** Writing a new entry (after its message file) failed: nothing was queued. */
export function storeError(error: unknown): MailroomError {
  if (isDiskFull(error)) return diskFull('the message could not be stored in the outbox. It was not queued');
  return {
    code: 'INTERNAL',
    message: `The message could not be stored in the outbox: ${(error as Error).message ?? String(error)}. It was not queued.`,
    hint: 'Try again. If it keeps happening, restart Mailroom.',
  };
}

/** The entry's texts (in `file`) are missing or damaged, so it cannot be reopened or resent as typed. */
export function textsDamaged(entry: StoredEntry, file: string): MailroomError {
  return {
    code: 'OUTBOX_ENTRY_DAMAGED',
    message: `The text of “${entry.subject || '(no subject)'}” could not be read back from the outbox: ${file} is missing or damaged.`,
    hint: 'The message itself is kept: Save it as .eml to keep a copy, or Retry to send it as it was.',
  };
}
