import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboxEntry } from '../../../../shared/domain/outbox';
import type { SmtpSettings } from '../../../../shared/domain/smtp-settings';
import type { MailroomError } from '../../../../shared/result';
import { Outbox } from '../../../../electron/core/outbox/outbox';

export interface TestMessage {
  from: { name?: string; address: string };
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { path: string; filename?: string }[];
}

/** What became of one message: sent (with the server's reply per recipient) or the coded error. */
export type Outcome =
  { ok: true; entry: OutboxEntry } | { ok: false; error: MailroomError; entry?: OutboxEntry };

/**
 * Sends one message the way the app does: queued in a real outbox (its own temporary profile), then
 * delivered by it over the account's settings and secret. Resolves at the first outcome of the first
 * attempt: sent, failed, or back in the queue after a temporary problem (reported, not waited out).
 */
export async function sendThroughOutbox(
  settings: SmtpSettings,
  secret: { password?: string },
  message: TestMessage,
): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-outbox-send-'));
  const outbox = new Outbox({
    dir,
    accounts: {
      identityFor: () => ({
        ok: true,
        value: { name: message.from.name ?? '', address: message.from.address },
      }),
      credentialsFor: async () => ({ ok: true, value: { settings, password: secret.password } }),
    },
    settings: () => ({ undoDelayMs: 0, retryBaseMs: 60_000, poolIdleMs: 0 }),
    log: () => undefined,
  });
  try {
    let resolveOutcome: (entry: OutboxEntry) => void = () => undefined;
    const settled = new Promise<OutboxEntry>((resolve) => (resolveOutcome = resolve));
    let id: string | undefined;
    outbox.subscribe(({ entry }) => {
      if (!entry || entry.id !== id) return;
      const retryLater = entry.state === 'queued' && entry.attempts > 0 && entry.lastError;
      if (entry.state === 'sent' || entry.state === 'failed' || retryLater) resolveOutcome(entry);
    });
    const queued = await outbox.enqueue({
      accountId: 'account',
      to: message.to,
      cc: message.cc ?? [],
      bcc: message.bcc ?? [],
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      attachments: message.attachments ?? [],
      onQueued: (entry) => (id = entry.id),
    });
    if (!queued.ok) return queued;
    const entry = await settled;
    return entry.state === 'sent' ? { ok: true, entry } : { ok: false, error: entry.lastError!, entry };
  } finally {
    await outbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Addresses the server accepted and refused, from a sent entry's per-recipient outcome. */
export function recipientsOf(entry: OutboxEntry): { accepted: string[]; rejected: string[] } {
  const recipients = entry.recipients ?? [];
  return {
    accepted: recipients.filter((r) => r.accepted).map((r) => r.address),
    rejected: recipients.filter((r) => !r.accepted).map((r) => r.address),
  };
}
