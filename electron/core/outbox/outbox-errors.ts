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
  if (e.code === 'ENOSPC') {
    return {
      code: 'INTERNAL',
      message: 'The disk is full, so the message could not be stored in the outbox. It was not queued.',
      hint: 'Free some disk space and send again.',
    };
  }
  return {
    code: 'INTERNAL',
    message: `The message could not be stored in the outbox: ${e.message ?? String(error)}. It was not queued.`,
    hint: 'Try again. If it keeps happening, restart Mailroom.',
  };
}
