import { join } from 'node:path';
import type { OutboxEntry, SendStatus } from '../../../shared/domain/outbox';
import { isFinished } from '../../../shared/domain/outbox-states';
import type { CoreServices } from '../core-services';
import type { CallContext } from '../ipc/dispatch';
import { Outbox, type OutboxAccounts } from './outbox';
import { MailMerge } from '../merge/mail-merge';
import { SendingLimitsBook } from '../merge/sending-limits';

/** How long a window stays subscribed to outboxChanged after listing; the UI lists again before. */
export const SUBSCRIPTION_LEASE_MS = 120_000;
const MAX_SUBSCRIBERS = 16;

type Emit = CallContext['emit'];

/**
 * The profile's outbox plus the fan-out of its changes to windows. Hosts bind events per call (the
 * window that invoked a channel), so a window that lists the outbox leases a subscription that it
 * renews by listing again; and a sendMessage call follows its own message with sendStatus events.
 */
export class OutboxService {
  readonly outbox: Outbox;
  private readonly subscribers = new Map<string, { emit: Emit; expires: number }>();
  private readonly followers = new Map<string, { requestId: string; emit: Emit }>();

  /** Mail-merge jobs: their manifests in the outbox folder, and the pacing of their entries. */
  readonly merge: MailMerge;
  readonly sendingLimits: SendingLimitsBook;

  constructor(services: Omit<CoreServices, 'outbox'>) {
    const dir = join(services.profileDir, 'outbox');
    this.sendingLimits = new SendingLimitsBook(services.settings, (id) => services.accounts.summary(id));
    this.merge = new MailMerge({
      outboxDir: dir,
      limits: (accountId) => this.sendingLimits.effective(accountId),
      identityFor: (accountId, identityId) => services.credentials.identityFor(accountId, identityId),
      discardDraft: (draftId) => services.drafts.discard(draftId),
    });
    this.outbox = new Outbox({
      dir,
      accounts: accountsAdapter(services),
      settings: () => services.settings.get('outbox') as Record<string, unknown> | undefined,
      deliver: services.deliverOutbox !== false,
      pacing: this.merge.pacer,
    });
    void this.merge.attach(this.outbox);
    this.outbox.subscribe(({ entry, removedId }) => {
      this.broadcast(entry, removedId);
      if (entry) this.notifyFollower(entry);
    });
  }

  /** Subscribes the calling window (by its per-page id) to outboxChanged for the lease period. */
  lease(subscriberId: string | undefined, emit: Emit): void {
    if (!subscriberId) return;
    const now = Date.now();
    for (const [id, s] of this.subscribers) if (s.expires <= now) this.subscribers.delete(id);
    this.subscribers.delete(subscriberId);
    this.subscribers.set(subscriberId, { emit, expires: now + SUBSCRIPTION_LEASE_MS });
    while (this.subscribers.size > MAX_SUBSCRIBERS) {
      const oldest = this.subscribers.keys().next().value;
      if (oldest === undefined) break;
      this.subscribers.delete(oldest);
    }
  }

  /** Sends sendStatus events for this entry to the window that sent it, until it is sent, failed or cancelled. */
  follow(entry: OutboxEntry, requestId: string, emit: Emit): void {
    this.followers.set(entry.id, { requestId, emit });
    this.notifyFollower(entry);
  }

  private broadcast(entry: OutboxEntry | undefined, removedId: string | undefined): void {
    const payload = {
      ...(entry ? { entry } : {}),
      ...(removedId ? { removedId } : {}),
      pending: this.outbox.pendingCount(),
    };
    const now = Date.now();
    for (const [id, s] of this.subscribers) {
      if (s.expires <= now) this.subscribers.delete(id);
      else s.emit('outboxChanged', payload);
    }
  }

  private notifyFollower(entry: OutboxEntry): void {
    const follower = this.followers.get(entry.id);
    if (!follower) return;
    follower.emit('sendStatus', sendStatusOf(entry, follower.requestId));
    if (isFinished(entry.state)) {
      this.followers.delete(entry.id);
    }
  }
}

/** One entry's state in the words of a SendStatus event. */
export function sendStatusOf(entry: OutboxEntry, requestId: string): SendStatus {
  const base: SendStatus = { requestId, state: entry.state, outboxId: entry.id, bytesTotal: entry.size };
  switch (entry.state) {
    case 'queued':
      return {
        ...base,
        ...(entry.holdUntil ? { holdUntil: entry.holdUntil } : {}),
        ...(entry.holdReason ? { holdReason: entry.holdReason } : {}),
        ...(entry.nextAttemptAt ? { nextAttemptAt: entry.nextAttemptAt } : {}),
        ...(entry.lastError ? { error: entry.lastError, detail: entry.lastError.message } : {}),
      };
    case 'sending':
      return { ...base, bytesSent: entry.bytesSent ?? 0 };
    case 'sent': {
      const rejected = (entry.recipients ?? []).filter((r) => !r.accepted);
      return {
        ...base,
        response: entry.response ?? '',
        detail: entry.response ?? '',
        bytesSent: entry.size,
        ...(rejected.length ? { rejected } : {}),
      };
    }
    case 'failed':
      return {
        ...base,
        ...(entry.lastError ? { error: entry.lastError, detail: entry.lastError.message } : {}),
      };
    case 'cancelled':
      return base;
  }
}

/** The outbox's view of the accounts: who a message is from, and how to sign in to send it. */
function accountsAdapter({ credentials }: Pick<CoreServices, 'credentials'>): OutboxAccounts {
  return {
    identityFor: (accountId, identityId) => credentials.identityFor(accountId, identityId),
    // Reading the keychain and the settings file for every message of a batch costs more than sending
    // it on a pooled connection: the outbox lets the resolver reuse them briefly.
    credentialsFor: (accountId, identityId, options) =>
      credentials.credentialsFor(accountId, identityId, { ...options, reuse: true }),
    forgetCredentials: (accountId) => credentials.forget(accountId),
  };
}
