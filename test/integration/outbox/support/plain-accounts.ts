import type { OutboxAccounts } from '../../../../electron/core/outbox/outbox';

/**
 * One account that sends to host:port without TLS or a password: what these tests are about is the
 * queue, not sign-in (the account and keychain path is covered by the e2e and accounts tests).
 */
export function plainAccounts(port: number, host = '127.0.0.1'): OutboxAccounts {
  return {
    identityFor: () => ({ ok: true, value: { name: 'Ada Lovelace', address: 'ada@example.test' } }),
    credentialsFor: async () => ({
      ok: true,
      value: {
        settings: { host, port, security: 'none', authMethod: 'none', username: '', allowUnencrypted: false },
        password: undefined,
      },
    }),
  };
}
