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
import { VerifyRequestSchema, VerifyReportSchema, VerifyProgressSchema } from '../domain/verification';
import { DiscoveryRequestSchema, DiscoveryResultSchema, DiscoveryProgressSchema } from '../domain/discovery';
import { DeliveryCheckRequestSchema, DeliveryCheckSchema } from '../domain/delivery-check';
import {
  AddAttachmentsRequestSchema,
  AttachDroppedFilesRequestSchema,
  CreateDraftRequestSchema,
  DraftAttachmentSchema,
  DraftRefSchema,
  DraftSchema,
  DraftSummarySchema,
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
import { TestMessageRequestSchema, TestMessageResultSchema } from '../domain/test-message';
import { SentMessageSchema } from '../domain/sent-message';
import {
  AccountSendingLimitsRequestSchema,
  AccountSendingLimitsSchema,
  MergeJobListSchema,
  MergeJobRefSchema,
  MergeJobSchema,
  MergePreviewSchema,
  MergeReceiptSchema,
  MergeRequestSchema,
  PreviewMergeRequestSchema,
  SetSendingLimitsRequestSchema,
} from '../domain/mail-merge';
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

/** Send a saved draft: the core reads it, builds the message and queues it (see sendHandlers). */
export const SendDraftRequestSchema = z.object({
  draftId: DraftRefSchema.shape.id,
  /** Send later: hold the message in the outbox until this time (ISO 8601). */
  sendAt: z.string().datetime({ offset: true }).optional(),
  /** Lets the caller match sendStatus events to this send. */
  requestId: z.string().max(100).optional(),
  /** false: no undo window, it goes at once (a command, not a person at the compose window). */
  undo: z.boolean().default(true),
});
export type SendDraftRequest = z.input<typeof SendDraftRequestSchema>;

/**
 * sendDraft resolves once the message is safely queued; sendStatus events for the request's
 * requestId follow it to 'sent' (with the server's reply) or 'failed'.
 */
export const SendReceiptSchema = z.object({
  messageId: z.string(),
  outboxId: z.string(),
  /** Until when Undo can take it back (or, for Send later, when it goes). */
  holdUntil: z.string().optional(),
});
export type SendReceipt = z.infer<typeof SendReceiptSchema>;

/** A message taken back from the outbox (Undo, Edit) is this draft now. */
export const ReopenedDraftSchema = z.object({
  draftId: DraftRefSchema.shape.id,
  /** Attachments whose files are gone since the message was queued (the draft opens without them). */
  missingAttachments: z.array(z.string()).default([]),
});

/** Lives in shared/domain/outbox.ts (queued -> sending -> sent, with undo and progress). */
export { SendStatusSchema, type SendStatus };

const Empty = z.object({});

/** One typed map of every request/response pair. Main, preload, renderer and hosts all derive from it. */
export const contract = {
  getAppState: { request: Empty, response: AppStateSchema },
  createAccount: { request: CreateAccountRequestSchema, response: AccountSummarySchema },
  sendDraft: { request: SendDraftRequestSchema, response: SendReceiptSchema },
  verifySmtp: { request: VerifyRequestSchema, response: VerifyReportSchema },
  cancelVerify: { request: z.object({ requestId: z.string() }), response: Empty },
  checkDelivery: { request: DeliveryCheckRequestSchema, response: DeliveryCheckSchema },
  cancelDiscovery: { request: z.object({ requestId: z.string() }), response: Empty },
  discoverSettings: { request: DiscoveryRequestSchema, response: DiscoveryResultSchema },
  openExternal: { request: z.object({ url: z.string().url() }), response: Empty },
  // Accounts, identities, credentials. Responses carry hasPassword, never a password.
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
  // Outbox and sent history
  listOutbox: { request: OutboxListRequestSchema, response: OutboxListSchema },
  retryOutboxEntry: { request: OutboxEntryRequestSchema, response: OutboxEntrySchema },
  cancelOutboxEntry: { request: OutboxEntryRequestSchema, response: OutboxEntrySchema },
  reopenOutboxEntry: { request: OutboxEntryRequestSchema, response: ReopenedDraftSchema },
  resendSentMessage: { request: OutboxEntryRequestSchema, response: OutboxEntrySchema },
  removeOutboxEntry: { request: OutboxEntryRequestSchema, response: Empty },
  openSentMessage: { request: OutboxEntryRequestSchema, response: OutboxMessageFileSchema },
  saveSentMessage: { request: OutboxEntryRequestSchema, response: OutboxMessageFileSchema },
  /** A stored message for the reading pane: headers, bodies, attachments described (never their contents). */
  readSentMessage: { request: OutboxEntryRequestSchema, response: SentMessageSchema },
  kickOutbox: { request: Empty, response: Empty },
  /** Proof that an account sends: a short message to itself through the outbox, with the server's reply. */
  sendTestMessage: { request: TestMessageRequestSchema, response: TestMessageResultSchema },
  // Mail merge (shared/domain/mail-merge.ts). Entries of a job carry `merge: {jobId, row}` in listOutbox;
  // a job's counts change with its entries, so list the jobs again on outboxChanged for such an entry.
  /** Renders the first rows as they will be sent and lists the rows left out; queues nothing. */
  previewMerge: { request: PreviewMergeRequestSchema, response: MergePreviewSchema },
  /** Queues every sendable row as one job (the draft is consumed, as sendDraft does). */
  startMerge: { request: MergeRequestSchema, response: MergeReceiptSchema },
  listMergeJobs: { request: Empty, response: MergeJobListSchema },
  pauseMerge: { request: MergeJobRefSchema, response: MergeJobSchema },
  resumeMerge: { request: MergeJobRefSchema, response: MergeJobSchema },
  /** Cancels the rows not yet sent (a row already on the wire finishes). */
  cancelMerge: { request: MergeJobRefSchema, response: MergeJobSchema },
  getSendingLimits: { request: AccountSendingLimitsRequestSchema, response: AccountSendingLimitsSchema },
  setSendingLimits: { request: SetSendingLimitsRequestSchema, response: AccountSendingLimitsSchema },
  // OAuth2 sign-in. No response carries a token.
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
