import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { DEFAULT_PORT } from '../../../shared/domain/smtp-settings';
import type { ServerFieldValues } from './server-settings-fields';

/** The server step's values, with a certificate the user chose to trust. */
export interface ServerForm extends ServerFieldValues {
  trustedFingerprint?: string | undefined;
  trustedCertificatePem?: string | undefined;
}

export const EMPTY_SERVER: ServerForm = {
  host: '',
  port: String(DEFAULT_PORT.tls),
  security: 'tls',
  username: '',
  allowUnencrypted: false,
};

export function serverFromDiscovery(result: DiscoveryResult, email: string): ServerForm | undefined {
  if (!result.settings) return undefined;
  return {
    host: result.settings.host,
    port: String(result.settings.port),
    security: result.settings.security,
    username: result.settings.username || email,
    allowUnencrypted: false,
  };
}
