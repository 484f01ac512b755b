import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channel-names';
import {
  AccountRefSchema,
  AccountSummarySchema,
  AddIdentityRequestSchema,
  CredentialModeSchema,
  EmailAddressSchema,
  HeaderTextSchema,
  IdentityRefSchema,
  KeychainStatusSchema,
  SetAccountPasswordRequestSchema,
  UpdateAccountRequestSchema,
  UpdateIdentityRequestSchema,
} from '../domain/account';
import { SmtpSettingsSchema } from '../domain/smtp-settings';
import { VerifyRequestSchema, VerifyReportSchema, VerifyProgressSchema } from '../domain/diagnostics';
import { DiscoveryRequestSchema, DiscoveryResultSchema, DiscoveryProgressSchema } from '../domain/discovery';
import {
  AddAttachmentsRequestSchema,
  AttachDroppedFilesRequestSchema,
  CompleteDraftRequestSchema,
  CreateDraftRequestSchema,
  DraftAttachmentSchema,
  DraftRefSchema,
  DraftSchema,
  DraftSummarySchema,
  GrantedAttachmentSchema,
  type DroppedFilesInput,
  OpenComposeWindowResponseSchema,
  PickAttachmentsResponseSchema,
  RemoveAttachmentRequestSchema,
  SaveDraftRequestSchema,
  ServerLimitsSchema,
  SuggestRecipientsRequestSchema,
  SuggestRecipientsResponseSchema,
} from '../domain/drafts';
import {
  ComposeFieldsSchema,
  OutboxChangedSchema,
  OutboxEntryRequestSchema,
  OutboxEntrySchema,
  OutboxListRequestSchema,
  OutboxListSchema,
  OutboxMessageFileSchema,
  SendStatusSchema,
  type SendStatus,
} from '../domain/outbox';
import {
  AwaitOAuthSignInResponseSchema,
  OAuthStatusSchema,
  OAuthTargetSchema,
  SaveOAuthSignInRequestSchema,
  SignInRefSchema,
  SignOutOAuthResponseSchema,
  StartOAuthSignInRequestSchema,
  StartOAuthSignInResponseSchema,
} from '../domain/oauth';
import type { Result } from '../result';

/** Lives in shared/domain/account.ts (with the reason and the fix); re-exported for existing importers. */
export { KeychainStatusSchema };

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
  /** 'session' when no keychain can be used: the password stays in main-process memory until quit. */
  credentialMode: CredentialModeSchema.default('keychain'),
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
  /** A draft's body (5,000,000) with room for its rendering as a message, so a request stays bounded. */
  text: z.string().max(6_000_000),
  html: z.string().max(6_000_000).optional(),
  /** Lets the caller match sendStatus events to this send. */
  requestId: z.string().optional(),
  /**
   * Attachments of the draft `draftId`, by their draft attachment id: the core reads the paths from
   * its own draft file (which only it writes, from grants), never from the request.
   */
  attachments: z
    .array(z.object({ draftAttachmentId: z.string().min(1).max(64) }))
    .max(100)
    .optional(),
  /** Display names for To/Cc addresses, keyed by address ("Doe, Jane" for jane@x.org). */
  displayNames: z.record(z.string(), HeaderTextSchema).optional(),
  /** The draft this message came from (compose removes it once the send is handed over). */
  draftId: z.string().optional(),
  /** Send later (issue 8): hold the message in the outbox until this time (ISO 8601). */
  sendAt: z.string().datetime({ offset: true }).optional(),
});
export type SendRequest = z.input<typeof SendRequestSchema>;

export const SendReceiptSchema = z.object({
  messageId: z.string(),
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F1C2". */
  response: z.string(),
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
  /**
   * Outbox (issue 8): sendMessage resolves once the message is safely queued ('queued', response
   * empty); sendStatus events for the request's requestId follow it to 'sent' or 'failed'.
   */
  outboxId: z.string().optional(),
  state: z.enum(['queued', 'sent']).optional(),
  holdUntil: z.string().optional(),
});
export type SendReceipt = z.infer<typeof SendReceiptSchema>;

/** Lives in shared/domain/outbox.ts (queued -> sending -> sent, with undo and progress). */
export { SendStatusSchema, type SendStatus };

const Empty = z.object({});

/** editOutboxEntry's answer: the fields as typed, each attachment as a fresh grant to re-attach it. */
export const ReopenFieldsSchema = ComposeFieldsSchema.extend({
  attachments: z.array(GrantedAttachmentSchema).default([]),
});
export type ReopenFields = z.infer<typeof ReopenFieldsSchema>;

/** One typed map of every request/response pair. Main, preload, renderer and hosts all derive from it. */
export const contract = {
  getAppState: { request: Empty, response: AppStateSchema },
  createAccount: { request: CreateAccountRequestSchema, response: AccountSummarySchema },
  sendMessage: { request: SendRequestSchema, response: SendReceiptSchema },
  verifySmtp: { request: VerifyRequestSchema, response: VerifyReportSchema },
  cancelVerify: { request: z.object({ requestId: z.string() }), response: Empty },
  cancelDiscovery: { request: z.object({ requestId: z.string() }), response: Empty },
  discoverSettings: { request: DiscoveryRequestSchema, response: DiscoveryResultSchema },
  openExternal: { request: z.object({ url: z.string().url() }), response: Empty },
  // Accounts, identities, credentials (issue 4). Responses carry hasPassword, never a password.
  updateAccount: { request: UpdateAccountRequestSchema, response: AccountSummarySchema },
  setAccountPassword: { request: SetAccountPasswordRequestSchema, response: AccountSummarySchema },
  setDefaultAccount: { request: AccountRefSchema, response: Empty },
  removeAccount: { request: AccountRefSchema, response: Empty },
  addIdentity: { request: AddIdentityRequestSchema, response: AccountSummarySchema },
  updateIdentity: { request: UpdateIdentityRequestSchema, response: AccountSummarySchema },
  removeIdentity: { request: IdentityRefSchema, response: AccountSummarySchema },
  setDefaultIdentity: { request: IdentityRefSchema, response: AccountSummarySchema },
  createDraft: { request: CreateDraftRequestSchema, response: DraftSchema },
  getDraft: { request: DraftRefSchema, response: DraftSchema },
  saveDraft: { request: SaveDraftRequestSchema, response: z.object({ updatedAt: z.string() }) },
  listDrafts: { request: Empty, response: z.object({ drafts: z.array(DraftSummarySchema) }) },
  discardDraft: { request: DraftRefSchema, response: Empty },
  completeDraft: { request: CompleteDraftRequestSchema, response: Empty },
  addDraftAttachments: {
    request: AddAttachmentsRequestSchema,
    response: z.object({ attachments: z.array(DraftAttachmentSchema) }),
  },
  removeDraftAttachment: {
    request: RemoveAttachmentRequestSchema,
    response: z.object({ attachments: z.array(DraftAttachmentSchema) }),
  },
  suggestRecipients: { request: SuggestRecipientsRequestSchema, response: SuggestRecipientsResponseSchema },
  getServerLimits: { request: z.object({ accountId: z.string().min(1) }), response: ServerLimitsSchema },
  openComposeWindow: { request: DraftRefSchema, response: OpenComposeWindowResponseSchema },
  pickAttachments: {
    request: z.object({ draftId: DraftRefSchema.shape.id }),
    response: PickAttachmentsResponseSchema,
  },
  attachDroppedFiles: { request: AttachDroppedFilesRequestSchema, response: PickAttachmentsResponseSchema },
  // Outbox and sent history (issue 8)
  listOutbox: { request: OutboxListRequestSchema, response: OutboxListSchema },
  retryOutboxEntry: { request: OutboxEntryRequestSchema, response: OutboxEntrySchema },
  cancelOutboxEntry: { request: OutboxEntryRequestSchema, response: OutboxEntrySchema },
  editOutboxEntry: { request: OutboxEntryRequestSchema, response: ReopenFieldsSchema },
  resendSentMessage: { request: OutboxEntryRequestSchema, response: OutboxEntrySchema },
  removeOutboxEntry: { request: OutboxEntryRequestSchema, response: Empty },
  openSentMessage: { request: OutboxEntryRequestSchema, response: OutboxMessageFileSchema },
  saveSentMessage: { request: OutboxEntryRequestSchema, response: OutboxMessageFileSchema },
  kickOutbox: { request: Empty, response: Empty },
  // OAuth2 sign-in (issue 11). No response carries a token.
  getOAuthStatus: { request: OAuthTargetSchema, response: OAuthStatusSchema },
  startOAuthSignIn: { request: StartOAuthSignInRequestSchema, response: StartOAuthSignInResponseSchema },
  awaitOAuthSignIn: { request: SignInRefSchema, response: AwaitOAuthSignInResponseSchema },
  cancelOAuthSignIn: { request: SignInRefSchema, response: Empty },
  saveOAuthSignIn: { request: SaveOAuthSignInRequestSchema, response: AccountSummarySchema },
  signOutOAuth: { request: AccountRefSchema, response: SignOutOAuthResponseSchema },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  verifyProgress: VerifyProgressSchema,
  sendStatus: SendStatusSchema,
  discoveryProgress: DiscoveryProgressSchema,
  outboxChanged: OutboxChangedSchema,
  /** The application menu's commands (New Message, Send, Preferences), handled by the focused window. */
  menuCommand: z.object({ command: z.enum(['newMessage', 'send', 'preferences', 'accounts', 'outbox']) }),
} as const satisfies Record<EventChannel, z.ZodType>;

export type Contract = typeof contract;
export type RequestOf<C extends InvokeChannel> = z.output<Contract[C]['request']>;
export type RequestInputOf<C extends InvokeChannel> = z.input<Contract[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<Contract[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof events)[E]>;

type Listener<E extends EventChannel> = (payload: EventPayload<E>) => void;

/**
 * `window.mailroom`: one function per channel, one subscription per event. attachDroppedFiles takes
 * the dropped File objects: the preload resolves their paths, so the page never names one.
 */
export type MailroomApi = {
  [C in Exclude<InvokeChannel, 'attachDroppedFiles'>]: (
    request: RequestInputOf<C>,
  ) => Promise<Result<ResponseOf<C>>>;
} & {
  attachDroppedFiles: (request: DroppedFilesInput) => Promise<Result<ResponseOf<'attachDroppedFiles'>>>;
} & {
  [E in EventChannel as `on${Capitalize<E>}`]: (listener: Listener<E>) => () => void;
};
