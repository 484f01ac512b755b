import { isAllowedExternalUrl } from '../../../shared/external-url';
import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';

export type OAuthChannel =
  | 'getOAuthStatus'
  | 'startOAuthSignIn'
  | 'awaitOAuthSignIn'
  | 'cancelOAuthSignIn'
  | 'saveOAuthSignIn'
  | 'signOutOAuth';

/**
 * OAuth2 sign-in. startOAuthSignIn returns the authorization URL without opening it (the core opens
 * nothing); a host with a system browser wraps it with withSystemBrowser. awaitOAuthSignIn resolves
 * when the browser comes back to the loopback listener. No response ever carries a token.
 */
export function oauthHandlers({ oauth }: CoreServices): HandlerGroup<OAuthChannel> {
  return {
    getOAuthStatus: async ({ providerId }) => ok(oauth.status(providerId)),
    startOAuthSignIn: (request) => oauth.startSignIn(request),
    awaitOAuthSignIn: ({ signInId }) => oauth.awaitSignIn(signInId),
    cancelOAuthSignIn: async ({ signInId }) => {
      oauth.cancelSignIn(signInId);
      return ok({});
    },
    saveOAuthSignIn: ({ signInId, accountId }) => oauth.saveSignIn(signInId, accountId),
    signOutOAuth: ({ accountId }) => oauth.signOut(accountId),
  };
}

/**
 * For the desktop host: startOAuthSignIn also opens the authorization URL in the system browser
 * (RFC 8252: never an embedded web view). Only https URLs are opened; a local test server's http URL is
 * returned with opened: false, like every other host does.
 */
export function withSystemBrowser(
  handlers: HandlerGroup<'startOAuthSignIn'>,
  openExternal: (url: string) => Promise<void>,
): HandlerGroup<'startOAuthSignIn'> {
  return {
    async startOAuthSignIn(request, context) {
      const started = await handlers.startOAuthSignIn(request, context);
      if (!started.ok || !isAllowedExternalUrl(started.value.authorizationUrl)) return started;
      await openExternal(started.value.authorizationUrl);
      return ok({ ...started.value, opened: true });
    },
  };
}
