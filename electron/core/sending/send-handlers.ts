import { sendMail } from '../smtp/send-mail';
import type { CoreServices, HandlerGroup } from '../core-services';

export function sendHandlers({ accounts }: CoreServices): HandlerGroup<'sendMessage'> {
  return {
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
  };
}
