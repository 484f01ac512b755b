import { AccountService } from './accounts/account-service';
import type { SecretStore } from './credentials/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { Handlers } from './ipc/dispatch';
import { sendMail } from './smtp/send-mail';
import { fail, ok } from '../../shared/result';

export interface CoreOptions {
  settings: SettingsStore;
  secrets: SecretStore;
}

/** Handlers every host shares; each host adds the ones that depend on it (openExternal). */
export type CoreHandlers = Omit<Handlers, 'openExternal'>;

/**
 * The application core: everything a host (Electron main, browser host, CLI) binds to its
 * transport. Plain Node; never imports electron.
 */
export function createCore(options: CoreOptions) {
  const accounts = new AccountService(options.settings, options.secrets);
  const verifications = new Map<string, AbortController>();

  const handlers: CoreHandlers = {
    async getAppState() {
      return ok({
        accounts: accounts.list(),
        defaultAccountId: accounts.defaultAccountId(),
        keychain: { available: true },
      });
    },

    async createAccount(request) {
      return accounts.create(request);
    },

    async sendMessage(request, context) {
      const requestId = request.requestId ?? '';
      const credentials = await accounts.credentialsFor(request.accountId, request.identityId);
      if (!credentials.ok) return credentials;
      const { settings, password, identity } = credentials.value;
      if (requestId) context.emit('sendStatus', { requestId, state: 'sending' });
      const result = await sendMail(
        settings,
        { password },
        {
          from: { name: identity.name, address: identity.address },
          replyTo: identity.replyTo,
          to: request.to,
          cc: request.cc,
          bcc: request.bcc,
          subject: request.subject,
          text: request.text,
          html: request.html,
        },
      );
      if (requestId) {
        context.emit(
          'sendStatus',
          result.ok
            ? { requestId, state: 'sent', detail: result.value.response }
            : { requestId, state: 'failed', detail: result.error.message },
        );
      }
      return result;
    },

    // Wired to the diagnostics and discovery modules as they land.
    async verifySmtp() {
      return fail({ code: 'INTERNAL', message: 'Verification is not available yet.' });
    },
    async cancelVerify(request) {
      verifications.get(request.requestId)?.abort();
      return ok({});
    },
    async discoverSettings() {
      return fail({
        code: 'DISCOVERY_NOT_FOUND',
        message: 'Automatic setup is not available yet.',
        hint: 'Enter the settings from your provider’s setup guide.',
      });
    },
  };

  return { handlers, accounts };
}
