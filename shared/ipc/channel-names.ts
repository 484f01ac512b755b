// The channel names alone, without schemas, so the sandboxed preload stays tiny and zod-free.
// shared/ipc/contract.ts checks at compile time that every name here has a schema and vice versa.

export const INVOKE_CHANNELS = [
  'getAppState',
  'createAccount',
  'sendDraft',
  'verifySmtp',
  'cancelVerify',
  'cancelDiscovery',
  'discoverSettings',
  'checkDelivery',
  'openExternal',
  // Accounts, identities, credentials
  'updateAccount',
  'setAccountPassword',
  'setDefaultAccount',
  'removeAccount',
  'addIdentity',
  'updateIdentity',
  'removeIdentity',
  'setDefaultIdentity',
  // Compose and drafts
  'createDraft',
  'getDraft',
  'saveDraft',
  'listDrafts',
  'discardDraft',
  'addDraftAttachments',
  'removeDraftAttachment',
  'suggestRecipients',
  'getServerLimits',
  'openComposeWindow',
  'pickAttachments',
  'attachDroppedFiles',
  // Outbox and sent history
  'listOutbox',
  'retryOutboxEntry',
  'cancelOutboxEntry',
  'reopenOutboxEntry',
  'resendSentMessage',
  'removeOutboxEntry',
  'openSentMessage',
  'saveSentMessage',
  'readSentMessage',
  'kickOutbox',
  'sendTestMessage',
  // Mail merge: one job in the outbox, paced to the account's sending limits
  'previewMerge',
  'startMerge',
  'listMergeJobs',
  'pauseMerge',
  'resumeMerge',
  'cancelMerge',
  'getSendingLimits',
  'setSendingLimits',
  // OAuth2 sign-in
  'getOAuthStatus',
  'startOAuthSignIn',
  'awaitOAuthSignIn',
  'cancelOAuthSignIn',
  'saveOAuthSignIn',
  'signOutOAuth',
] as const;
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

export const EVENT_CHANNELS = [
  'verifyProgress',
  'sendStatus',
  'discoveryProgress',
  'menuCommand',
  'outboxChanged',
] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** The wire name of a channel: namespaced so nothing else on ipcMain can collide with ours. */
export const wireName = (channel: InvokeChannel | EventChannel): string => `mailroom:${channel}`;

/** `verifyProgress` -> `onVerifyProgress`: the preload function that subscribes to an event. */
export const listenerName = <E extends EventChannel>(event: E): `on${Capitalize<E>}` =>
  `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
