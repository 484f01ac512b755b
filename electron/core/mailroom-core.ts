import { openAccounts } from './accounts/open-accounts';
import { accountHandlers } from './accounts/account-handlers';
import type { SecretStore } from './credentials/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { CallContext, Handlers } from './ipc/dispatch';
import type { CoreServices, HandlerGroup } from './core-services';
import type { InvokeChannel } from '../../shared/ipc/channel-names';
import { OutboxService } from './outbox/outbox-service';
import { RecipientBook } from './drafts/recipient-book';
import { outboxHandlers } from './outbox/outbox-handlers';
import { mergeHandlers } from './merge/merge-handlers';
import { verifyHandlers } from './smtp/verify-handlers';
import { deliveryHandlers, resolverShared, type DeliveryCheckOptions } from './delivery';
import type { DiscoverOptions } from './discovery/discover-settings';
import { draftHandlers } from './drafts/draft-handlers';
import { AttachmentGrants } from './drafts/attachment-grants';
import { DraftStore } from './drafts/draft-store';
import { secureProfileDirectory } from './profile-permissions';
import { OAuthService, oauthHandlers, type OAuthOptions } from './oauth';

export interface CoreOptions {
  profileDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Network seams for discovery (tests point them at local DNS/HTTPS peers). */
  discovery?: DiscoverOptions['dependencies'];
  /** Where the delivery check (SPF, DMARC) asks DNS: a `--dns-server` override, or the system's. */
  delivery?: DeliveryCheckOptions;
  /** OAuth2 sign-in timeout and the environment client IDs are read from (tests shorten / replace them). */
  oauth?: OAuthOptions;
  /** false: read and queue only, never deliver (CLI commands that must not send). */
  deliverOutbox?: boolean;
}

/** Handlers every host shares; each host adds the ones that depend on it (openExternal). */
export type CoreHandlers = Omit<Handlers, 'openExternal' | HostComposeChannel>;

/** Compose's host-specific channels: a window per message, the native file picker, a drop. */
export type HostComposeChannel = 'openComposeWindow' | 'pickAttachments' | 'attachDroppedFiles';

/**
 * A handler group whose code is loaded on the first call to one of its channels. Building and
 * sending messages (html-to-text) and discovery (the XML parser, the provider database) are a large
 * part of the core that most commands (`outbox list`, `verify`) never call; loaded up front, every
 * start of the command line evaluated them. Every call waits for the same load, so calls keep their
 * order.
 */
function loadedOnFirstCall<C extends InvokeChannel>(
  channels: readonly C[],
  // Only the list names the channels: one it leaves out is missing from CoreHandlers (a type error),
  // one the group does not handle makes the group's type too small for `load`.
  load: () => Promise<HandlerGroup<NoInfer<C>>>,
): HandlerGroup<C> {
  let loading: Promise<HandlerGroup<C>> | undefined;
  type AnyHandler = (request: unknown, context: CallContext) => Promise<unknown>;
  const group: Partial<Record<C, AnyHandler>> = {};
  for (const channel of channels) {
    group[channel] = async (request, context) => {
      loading ??= load();
      const handler = (await loading)[channel] as AnyHandler;
      return handler(request, context);
    };
  }
  return group as unknown as HandlerGroup<C>;
}

/**
 * Every module the core loads on first use. The command line's build runs this once so that its code
 * cache, which keeps the code that ran, holds them too: a command that needs one still starts from
 * compiled code, and one that does not never evaluates it.
 */
export async function loadOnDemandModules(): Promise<void> {
  await Promise.all([
    import('./outbox/send-handlers'),
    import('./outbox/test-message-handlers'),
    import('./discovery/discovery-handlers'),
    import('./merge/merge-plan'),
    import('./outbox/smtp-pools'),
  ]);
}

/**
 * The application core: everything a host (Electron main, browser host, CLI) binds to its transport.
 * Plain Node; never imports electron. Each capability contributes the handlers for its own channels.
 */
export function createCore(options: CoreOptions) {
  secureProfileDirectory(options.profileDir);
  const {
    accounts,
    credentials,
    tokens: oauth,
  } = openAccounts(
    options.settings,
    options.secrets,
    (accountActions) => new OAuthService(accountActions, options.profileDir, options.oauth),
  );
  const base = {
    ...options,
    accounts,
    credentials,
    oauth,
    drafts: new DraftStore(options.profileDir),
    attachmentGrants: new AttachmentGrants(),
    recipients: new RecipientBook(options.profileDir),
  };
  // Made on first use: a command that never touches the outbox (verify, accounts) never opens it.
  let outbox: OutboxService | undefined;
  const services: CoreServices = {
    ...base,
    get outbox() {
      return (outbox ??= new OutboxService(base));
    },
  };

  const handlers: CoreHandlers = {
    ...accountHandlers(services),
    ...loadedOnFirstCall(['sendDraft', 'reopenOutboxEntry'], async () =>
      (await import('./outbox/send-handlers')).sendHandlers(services),
    ),
    ...outboxHandlers(services),
    ...loadedOnFirstCall(['sendTestMessage'], async () =>
      (await import('./outbox/test-message-handlers')).testMessageHandlers(services),
    ),
    ...mergeHandlers(services),
    ...verifyHandlers(services),
    ...draftHandlers(services),
    ...loadedOnFirstCall(['discoverSettings', 'cancelDiscovery'], async () =>
      (await import('./discovery/discovery-handlers')).discoveryHandlers(services, options.discovery),
    ),
    ...deliveryHandlers(
      services,
      options.delivery ?? { resolver: resolverShared(options.discovery?.resolver) },
    ),
    ...oauthHandlers(services),
  };

  /** Whether anything has opened the outbox yet (a host closes it only then). */
  const outboxOpened = (): boolean => outbox !== undefined;
  return { handlers, services, outboxOpened };
}
