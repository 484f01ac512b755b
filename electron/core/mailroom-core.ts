import { openAccounts } from './accounts/open-accounts';
import { accountHandlers } from './accounts/account-handlers';
import type { SecretStore } from './credentials/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { Handlers } from './ipc/dispatch';
import type { CoreServices } from './core-services';
import { sendHandlers } from './outbox/send-handlers';
import { OutboxService } from './outbox/outbox-service';
import { RecipientBook } from './drafts/recipient-book';
import { outboxHandlers } from './outbox/outbox-handlers';
import { testMessageHandlers } from './outbox/test-message-handlers';
import { mergeHandlers } from './merge/merge-handlers';
import { verifyHandlers } from './smtp/verify-handlers';
import { discoveryHandlers } from './discovery/discovery-handlers';
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
    ...sendHandlers(services),
    ...outboxHandlers(services),
    ...testMessageHandlers(services),
    ...mergeHandlers(services),
    ...verifyHandlers(services),
    ...draftHandlers(services),
    ...discoveryHandlers(services, options.discovery),
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
