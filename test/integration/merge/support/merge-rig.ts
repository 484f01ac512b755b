import type { EffectiveSendingLimits } from '../../../../shared/domain/mail-merge';
import { MailMerge } from '../../../../electron/core/merge/mail-merge';
import type { MergeTemplate } from '../../../../electron/core/merge/merge-plan';
import { Outbox } from '../../../../electron/core/outbox/outbox';
import { plainAccounts } from '../../outbox/support/plain-accounts';

/** A clock the test moves by hand: pacing decides by it, never by sleeping. */
export interface TestClock {
  now: number;
}

export interface MergeRig {
  outbox: Outbox;
  merge: MailMerge;
  clock: TestClock;
  limits: Partial<EffectiveSendingLimits>;
  /** Moves the clock on and lets the outbox look again. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export const TEMPLATE: MergeTemplate = {
  accountId: 'acct',
  subject: 'Invitation for {{name}}',
  mode: 'rich',
  html: '<p>Dear {{name}},</p><p>your seat is <strong>{{seat}}</strong>.</p>',
  text: 'Dear {{name}},\nyour seat is {{seat}}.',
  attachments: [],
};

/** An outbox on `dir` sending to the test server, with mail merge paced by a hand-moved clock. */
export async function openMergeRig(
  dir: string,
  port: number,
  options: { limits?: Partial<EffectiveSendingLimits>; maxConnections?: number; deliver?: boolean } = {},
): Promise<MergeRig> {
  // Starts at the real time: the sent history a restart counts from is stamped with it.
  const clock: TestClock = { now: Date.now() };
  const limits: Partial<EffectiveSendingLimits> = { ...options.limits };
  const accounts = plainAccounts(port);
  const merge = new MailMerge({
    outboxDir: dir,
    limits: () => ({ perMinute: null, perDay: null, source: 'account', ...limits }),
    identityFor: accounts.identityFor,
    now: () => clock.now,
    log: () => undefined,
    refreshMs: 0,
  });
  const outbox = new Outbox({
    dir,
    accounts,
    settings: () => ({
      undoDelayMs: 0,
      retryBaseMs: 50,
      retryCapMs: 200,
      poolIdleMs: 0,
      maxConnectionsPerAccount: options.maxConnections ?? 2,
    }),
    log: () => undefined,
    pacing: merge.pacer,
    deliver: options.deliver ?? true,
    rescanMs: 3_600_000,
  });
  await merge.attach(outbox);
  return {
    outbox,
    merge,
    clock,
    limits,
    advance(ms) {
      clock.now += ms;
      merge.pacer.changed();
    },
    async close() {
      merge.stop();
      await outbox.close();
    },
  };
}

/** Waits (on the outbox's own change events, bounded) until `done` holds. */
export async function until(outbox: Outbox, done: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await outbox.nextChange(50);
  }
}

/** A list of `count` recipients r<N>@example.org with their own names and seats, header first. */
export function recipientsCsv(count: number, { delimiter = ',', eol = '\r\n' } = {}): string {
  const lines = [['email', 'name', 'seat'].join(delimiter)];
  for (let i = 1; i <= count; i++) lines.push([`r${i}@example.org`, `Guest ${i}`, `S-${i}`].join(delimiter));
  return `${lines.join(eol)}${eol}`;
}
