import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { verifySmtpSettings } from './smtp-verify';
import { CancellableRequests } from '../ipc/cancellable-requests';

/** verifySmtp runs the full settings check with live steps; cancelVerify stops one in flight. */
export function verifyHandlers({
  credentials: accountCredentials,
  oauth,
}: CoreServices): HandlerGroup<'verifySmtp' | 'cancelVerify'> {
  const requests = new CancellableRequests();
  return {
    async verifySmtp(request, context) {
      return requests.run(request.requestId, async (signal) => {
        let password = request.password;
        // OAuth2: a sign-in the wizard has not saved yet, or the saved account's fresh token.
        let accessToken = request.oauthSignInId
          ? oauth.accessTokenForSignIn(request.oauthSignInId)
          : undefined;
        // Re-verifying a saved account uses its stored secret; the renderer never has it.
        if (password === undefined && accessToken === undefined && request.accountId) {
          const credentials = await accountCredentials.credentialsFor(request.accountId);
          if (!credentials.ok) return credentials;
          password = credentials.value.password;
          accessToken = credentials.value.accessToken;
        }
        const report = await verifySmtpSettings(request.smtp, {
          password,
          accessToken,
          timeoutMs: request.timeoutMs,
          signal,
          onStep: (step) => context.emit('verifyProgress', { requestId: request.requestId, step }),
        });
        return ok(report);
      });
    },
    async cancelVerify({ requestId }) {
      requests.cancel(requestId);
      return ok({});
    },
  };
}
