import { z } from 'zod';
import { EmailAddressSchema } from './account';

/**
 * "Send a test message": a short message from an account to itself (or to an address the user
 * types), sent through the real outbox, so the user sees the server take a real message.
 */
export const TestMessageRequestSchema = z.object({
  accountId: z.string().min(1),
  /** Default: the account's own address. */
  to: EmailAddressSchema.optional(),
  /** Lets the caller follow the message with sendStatus events. */
  requestId: z.string().max(100).optional(),
});
export type TestMessageRequest = z.input<typeof TestMessageRequestSchema>;

export const TestMessageResultSchema = z.object({
  outboxId: z.string(),
  messageId: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  /** The server's reply to the message, e.g. "250 2.0.0 Ok: queued as 4F2A1B". */
  response: z.string(),
  /** The server's own id for the message, when its reply names one: what its logs are searched by. */
  queueId: z.string().optional(),
});
export type TestMessageResult = z.infer<typeof TestMessageResultSchema>;

export const TEST_MESSAGE_SUBJECT = 'Mailroom test message';

/** How long the core waits for the server to take a test message: a slow greeting, TLS, sign-in, DATA. */
export const TEST_MESSAGE_WAIT_MS = 90_000;

/**
 * The queue ID in a 250 reply to DATA: Postfix, Sendmail and most others say "queued as 4F2A1B",
 * Exim "id=1rXyZ-000abc-Q1". Replies that name no id unambiguously (Gmail's, Microsoft's) give none.
 */
export function queueIdOf(reply: string): string | undefined {
  const patterns = [/queued as\s+([A-Za-z0-9._-]+)/i, /\bid=([A-Za-z0-9._-]+)/i];
  for (const pattern of patterns) {
    const match = pattern.exec(reply);
    if (match?.[1]) return match[1].replace(/[.]$/, '');
  }
  return undefined;
}
