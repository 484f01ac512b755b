import { createTransport, type SendMailOptions } from 'nodemailer';
import type { SendReceipt } from '../../../shared/ipc/contract';
import type { SmtpSettings } from '../../../shared/domain/smtp-settings';
import { fail, ok, type Result } from '../../../shared/result';
import { classifySmtpError, sendErrorContext } from './smtp-error-classify';
import { buildTransportOptions, type SmtpSecret, type TransportBuildOptions } from './transport-options';

export interface MailAddress {
  name?: string | undefined;
  address: string;
}

export interface OutgoingAttachment {
  /** A local file path; URLs are refused (see disableUrlAccess below). */
  path: string;
  filename?: string | undefined;
  contentType?: string | undefined;
}

export interface OutgoingMessage {
  from: MailAddress;
  to: string[];
  cc?: string[] | undefined;
  bcc?: string[] | undefined;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html?: string | undefined;
  attachments?: OutgoingAttachment[] | undefined;
  /** Set by the outbox so a retried message keeps its identity ("<id@domain>"). */
  messageId?: string | undefined;
  date?: Date | undefined;
  headers?: Record<string, string> | undefined;
}

export type SendOptions = TransportBuildOptions;

function addressText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'address' in value)
    return String((value as { address: unknown }).address);
  return String(value);
}

/**
 * Sends one message over a fresh connection with the account's settings. Never throws: every failure
 * comes back as a classified MailroomError (SENDER_REJECTED, RECIPIENT_REJECTED, MESSAGE_TOO_LARGE,
 * SERVER_TEMPORARY, AUTH_FAILED, TLS_*...).
 *
 * When the server refuses some recipients but accepts others, the message goes to the accepted ones
 * and the receipt lists the refused ones in `rejected`: the caller decides how to tell the user.
 */
export async function sendMail(
  settings: SmtpSettings,
  secret: SmtpSecret,
  message: OutgoingMessage,
  options: SendOptions = {},
): Promise<Result<SendReceipt>> {
  const transportOptions = buildTransportOptions(settings, secret, options);
  if (!transportOptions.ok) return transportOptions;
  const context = sendErrorContext(settings);

  const mail: SendMailOptions = {
    from: message.from.name
      ? { name: message.from.name, address: message.from.address }
      : message.from.address,
    to: message.to,
    subject: message.subject,
    text: message.text,
    // Attachments come from the user's disk only: a path that is really a URL must not make the app
    // fetch from the network, and data: URIs are not how we carry files.
    disableUrlAccess: true,
  };
  if (message.cc?.length) mail.cc = message.cc;
  if (message.bcc?.length) mail.bcc = message.bcc;
  if (message.replyTo) mail.replyTo = message.replyTo;
  if (message.html !== undefined) mail.html = message.html;
  if (message.messageId) mail.messageId = message.messageId;
  if (message.date) mail.date = message.date;
  if (message.headers) mail.headers = message.headers;
  if (message.attachments?.length) {
    mail.attachments = message.attachments.map((a) => ({
      path: a.path,
      ...(a.filename ? { filename: a.filename } : {}),
      ...(a.contentType ? { contentType: a.contentType } : {}),
    }));
  }

  const transporter = createTransport(transportOptions.value);
  try {
    const info = await transporter.sendMail(mail);
    return ok({
      messageId: info.messageId,
      response: info.response,
      accepted: (info.accepted ?? []).map(addressText),
      rejected: (info.rejected ?? []).map(addressText),
    });
  } catch (error) {
    return fail(classifySmtpError(error, context));
  } finally {
    transporter.close();
  }
}
