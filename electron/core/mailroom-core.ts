import { AccountService } from './accounts/account-service';
import { accountHandlers } from './accounts/account-handlers';
import type { SecretStore } from './credentials/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { Handlers } from './ipc/dispatch';
import type { CoreServices } from './core-services';
import { sendHandlers } from './sending/send-handlers';
import { verifyHandlers } from './verification/verify-handlers';
import { fail } from '../../shared/result';

export interface CoreOptions {
  profileDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
}

/** Handlers every host shares; each host adds the ones that depend on it (openExternal). */
export type CoreHandlers = Omit<Handlers, 'openExternal'>;

/**
 * The application core: everything a host (Electron main, browser host, CLI) binds to its transport.
 * Plain Node; never imports electron. Each capability contributes the handlers for its own channels.
 */
export function createCore(options: CoreOptions) {
  const services: CoreServices = {
    ...options,
    accounts: new AccountService(options.settings, options.secrets),
  };

  const handlers: CoreHandlers = {
    ...accountHandlers(services),
    ...sendHandlers(services),
    ...verifyHandlers(services),
    async discoverSettings() {
      return fail({
        code: 'DISCOVERY_NOT_FOUND',
        message: 'Automatic setup is not available yet.',
        hint: 'Enter the settings from your provider’s setup guide.',
      });
    },
  };

  return { handlers, services };
}
