import type { DraftContent } from '../../../shared/domain/drafts';
import type { ComposeFields, OutboxEntry, OutboxSettings } from '../../../shared/domain/outbox';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import type { MailroomError, Result } from '../../../shared/result';
import type { MergeEntryRef } from '../../../shared/domain/mail-merge';
import type { StoredEntry } from './outbox-store';
import type { SenderIdentity } from './message-file';

/** Where the outbox gets an account's identity (at enqueue) and its settings + secret (at delivery). */
export interface OutboxAccounts {
  identityFor(accountId: string, identityId?: string): Result<SenderIdentity>;
  credentialsFor(
    accountId: string,
    identityId?: string,
    /** OAuth2 accounts: the server refused the access token, so get a new one. */
    options?: { refreshAccessToken?: boolean },
  ): Promise<
    Result<{ settings: SmtpSettings; password?: string | undefined; accessToken?: string | undefined }>
  >;
  /**
   * An attempt failed or the user asked to try again (a password may have been fixed): whatever
   * credentials the accounts side reuses for this account must be read afresh next time.
   */
  forgetCredentials?(accountId: string): void;
}

export interface OutboxOptions {
  /** <profile>/outbox */
  dir: string;
  accounts: OutboxAccounts;
  /**
   * Called on every use, so a changed preference applies without a restart. Returning the same object
   * again (a host caching the settings file until it changes) means "unchanged": it is parsed once.
   */
  settings: () => Partial<OutboxSettings> | undefined;
  log?: (message: string) => void;
  /** Rescan for entries other processes queued (they cannot deliver while we hold the lock). */
  rescanMs?: number;
  /**
   * false: this process reads, queues and (holding the lock) changes entries, but never starts a
   * delivery (e.g. `mailroom send --queue-only`, `outbox cancel`); the app or a delivering command
   * sends them later.
   */
  deliver?: boolean;
  /** Holds some entries back to stay under an account's sending limits (mail merge). */
  pacing?: DeliveryPacing | undefined;
}

/** Pacing of entries (electron/core/merge/merge-pacer.ts); the outbox asks before it starts one. */
export interface DeliveryPacing {
  /** 0: may start now (counted as started); else ms to wait (Infinity: held until onChange's call). */
  delayFor(entry: StoredEntry): number;
  /**
   * When the entry may start, asked without counting it (epoch ms; 0: now; Infinity: its job is
   * paused): for a command that waits until what is due has gone.
   */
  startsAt(entry: Pick<StoredEntry, 'accountId' | 'merge'>): number;
  /** A failed attempt the pacing takes over (a "too many messages" reply): queue it again, no backoff. */
  requeueAfter(entry: StoredEntry, error: MailroomError): boolean;
  /**
   * Withdrawn while it was on the wire (its merge job was cancelled): an attempt that did not deliver
   * it ends it as cancelled, instead of queueing it again or failing it.
   */
  withdrawn(entry: StoredEntry): boolean;
  /** How the pacing asks the outbox to look again (a job resumed, limits changed). */
  onChange(reschedule: () => void): void;
}

export interface EnqueueRequest extends ComposeFields {
  displayNames?: Record<string, string> | undefined;
  /** Send later: hold until this time. */
  sendAt?: string | undefined;
  /** Overrides the profile's undo delay for this message (0: no undo window). */
  undoDelayMs?: number | undefined;
  /** Called with the new entry before anyone hears of it, so a caller can follow it from the start. */
  onQueued?: ((entry: OutboxEntry) => void) | undefined;
  /** The draft as typed, kept so Undo and Edit bring back exactly that (not the message as built). */
  typed?: DraftContent | undefined;
  /**
   * A fixed entry id: a merge row's, or the draft's a message is sent from. An enqueue under an id
   * already in the outbox answers with that entry and writes nothing; one cut short before its entry
   * was written writes the same entry again.
   */
  id?: string | undefined;
  /** The merge job and row this message is. */
  merge?: MergeEntryRef | undefined;
}

export type OutboxListener = (change: { entry?: OutboxEntry; removedId?: string }) => void;
