import type { AccountSummary } from '../../../shared/domain/account';
import { allProviders, findProviderByDomain, oauthServiceForProvider } from '../../../shared/providers';

/** Which provider an OAuth2 account signs in with, for "Signed in with Google" and "Sign in again". */
export interface AccountOAuthProvider {
  /** Provider database id ("gmail"): what startOAuthSignIn takes. */
  providerId: string;
  /** "Gmail". */
  providerName: string;
  /** "Google": the name on the provider's own sign-in page. */
  serviceName: string;
}

/**
 * The account keeps no provider id (only its server settings), and the grant naming its authorization
 * server stays in the keychain, out of the renderer's reach. The provider database knows both: the
 * server name identifies it (smtp.gmail.com also serves Google Workspace domains), the address's
 * domain is the fallback for a server name the database does not list.
 */
export function oauthProviderOf(account: AccountSummary): AccountOAuthProvider | undefined {
  const host = account.smtp.host.trim().toLowerCase();
  const candidates = [
    ...allProviders().filter((p) => p.smtp.host === host),
    ...[account.smtp.username, ...account.identities.map((i) => i.address)].flatMap((address) => {
      const domain = address.split('@')[1];
      const provider = domain ? findProviderByDomain(domain) : undefined;
      return provider ? [provider] : [];
    }),
  ];
  for (const provider of candidates) {
    const service = oauthServiceForProvider(provider.id);
    if (service) return { providerId: provider.id, providerName: provider.name, serviceName: service.name };
  }
  return undefined;
}
