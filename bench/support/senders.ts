/** What a sender worker (bench/workers/*-sender.ts) prints when its batch is done. */
export interface SenderResult {
  totalMs: number;
  /** Mailroom only: when the last message was safely queued (on disk). */
  enqueuedMs?: number;
  sent: number;
  failed: number;
  firstError?: string;
}

/** Mailroom's default maxConnectionsPerAccount; every nodemailer baseline gets the same pool size. */
export const CONNECTIONS = 2;
