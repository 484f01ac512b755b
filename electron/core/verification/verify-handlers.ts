import { fail, ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';

export function verifyHandlers(_services: CoreServices): HandlerGroup<'verifySmtp' | 'cancelVerify'> {
  const running = new Map<string, AbortController>();
  return {
    // Wired to electron/core/smtp's diagnostics when they land.
    async verifySmtp() {
      return fail({ code: 'INTERNAL', message: 'Verification is not available yet.' });
    },
    async cancelVerify(request) {
      running.get(request.requestId)?.abort();
      return ok({});
    },
  };
}
