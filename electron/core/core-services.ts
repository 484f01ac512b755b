import type { AccountService } from './accounts/account-service';
import type { CredentialResolver } from './accounts/credential-resolver';
import type { AttachmentGrants } from './drafts/attachment-grants';
import type { DraftStore } from './drafts/draft-store';
import type { RecipientBook } from './drafts/recipient-book';
import type { OutboxService } from './outbox/outbox-service';
import type { SecretStore } from './credentials/secret-store';
import type { Handlers } from './ipc/dispatch';
import type { OAuthService } from './oauth/oauth-service';
import type { InvokeChannel } from '../../shared/ipc/channel-names';
import type { SettingsStore } from './settings/settings-store';

/** What every capability's handlers are built from. */
export interface CoreServices {
  /** The profile directory (Electron's userData, or --profile): settings, outbox, drafts live here. */
  profileDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  accounts: AccountService;
  /** Settings + secret (password or OAuth2 access token) to sign in for an account: senders ask here. */
  credentials: CredentialResolver;
  /** false: this host never delivers the outbox (it only reads and queues); default true. */
  deliverOutbox?: boolean;
  /** OAuth2 sign-in and access tokens; accounts with authMethod 'oauth2' get their tokens from it. */
  oauth: OAuthService;
  /** The profile's drafts (one store per core, so writes to a draft are serialised in one place). */
  drafts: DraftStore;
  /** Files the user chose, by opaque grant: the only way a path becomes an attachment. */
  attachmentGrants: AttachmentGrants;
  /** Who the user has sent to, for autocomplete (remembered by every send). */
  recipients: RecipientBook;
  /** The profile's outbox and the fan-out of its changes to windows. */
  outbox: OutboxService;
}

/** A capability's share of the contract: the handlers for its own channels. */
export type HandlerGroup<C extends InvokeChannel> = Pick<Handlers, C>;
