import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channel-names';
import { AccountSummarySchema, EmailAddressSchema, HeaderTextSchema } from '../domain/account';
import { SmtpSettingsSchema } from '../domain/smtp-settings';
import { VerifyRequestSchema, VerifyReportSchema, VerifyProgressSchema } from '../domain/diagnostics';
import { DiscoveryRequestSchema, DiscoveryResultSchema, DiscoveryProgressSchema } from '../domain/discovery';
import type { Result } from '../result';

export const KeychainStatusSchema = z.object({
  available: z.boolean(),
  /** Plain words for the user when the keychain cannot be used, with what to do. */
  problem: z.string().optional(),
});

export const AppStateSchema = z.object({
  accounts: z.array(AccountSummarySchema),
  defaultAccountId: z.string().nullable(),
  keychain: KeychainStatusSchema,
});
export type AppState = z.infer<typeof AppStateSchema>;

export const CreateAccountRequestSchema = z.object({
  email: EmailAddressSchema,
  displayName: HeaderTextSchema,
  smtp: SmtpSettingsSchema,
  /** Crosses IPC once, on its way to the keychain; never sent back. */
  password: z.string().max(4096).optional(),
  verifiedAt: z.string().optional(),
});
export type CreateAccountRequest = z.input<typeof CreateAccountRequestSchema>;

export const SendRequestSchema = z.object({
  accountId: z.string().min(1),
  identityId: z.string().optional(),
  to: z.array(EmailAddressSchema).min(1, 'Add at least one recipient'),
  cc: z.array(EmailAddressSchema).default([]),
  bcc: z.array(EmailAddressSchema).default([]),
  subject: HeaderTextSchema,
  text: z.string(),
  html: z.string().optional(),
  /** Lets the caller match sendStatus events to this send. */
  requestId: z.string().optional(),
});
export type SendRequest = z.input<typeof SendRequestSchema>;

export const SendReceiptSchema = z.object({
  messageId: z.string(),
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F1C2". */
  response: z.string(),
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
});
export type SendReceipt = z.infer<typeof SendReceiptSchema>;

export const SendStatusSchema = z.object({
  requestId: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'failed']),
  detail: z.string().optional(),
});
export type SendStatus = z.infer<typeof SendStatusSchema>;

const Empty = z.object({});

/** One typed map of every request/response pair. Main, preload, renderer and hosts all derive from it. */
export const contract = {
  getAppState: { request: Empty, response: AppStateSchema },
  createAccount: { request: CreateAccountRequestSchema, response: AccountSummarySchema },
  sendMessage: { request: SendRequestSchema, response: SendReceiptSchema },
  verifySmtp: { request: VerifyRequestSchema, response: VerifyReportSchema },
  cancelVerify: { request: z.object({ requestId: z.string() }), response: Empty },
  discoverSettings: { request: DiscoveryRequestSchema, response: DiscoveryResultSchema },
  openExternal: { request: z.object({ url: z.string().url() }), response: Empty },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  verifyProgress: VerifyProgressSchema,
  sendStatus: SendStatusSchema,
  discoveryProgress: DiscoveryProgressSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

export type Contract = typeof contract;
export type RequestOf<C extends InvokeChannel> = z.output<Contract[C]['request']>;
export type RequestInputOf<C extends InvokeChannel> = z.input<Contract[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<Contract[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof events)[E]>;

type Listener<E extends EventChannel> = (payload: EventPayload<E>) => void;

/** `window.mailroom`: one function per channel, one subscription per event. */
export type MailroomApi = {
  [C in InvokeChannel]: (request: RequestInputOf<C>) => Promise<Result<ResponseOf<C>>>;
} & {
  [E in EventChannel as `on${Capitalize<E>}`]: (listener: Listener<E>) => () => void;
};
