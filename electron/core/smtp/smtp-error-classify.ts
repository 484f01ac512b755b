import type { MailroomError } from '../../../shared/result';
import type { AuthMethod, Security, SmtpSettings } from '../../../shared/domain/smtp-settings';
import { findProviderByServer, type Provider } from '../../../shared/providers';
import { enhancedStatusOf, factsOf, stageOf, tlsCodeOf } from './smtp-error-facts';
import { ERROR_RULES, unexplained, type Situation } from './smtp-error-rules';

export { enhancedStatusOf } from './smtp-error-facts';

/** Where the failure happened, so the words can name the server and the step. */
export interface SmtpErrorContext {
  host: string;
  port: number;
  security: Security;
  /** 'verify' wording talks about checking settings, 'send' about the message. */
  purpose?: 'verify' | 'send' | undefined;
  /** An 'oauth2' account has no password to get wrong: a refused sign-in means signing in again. */
  authMethod?: AuthMethod | undefined;
  /**
   * This account has delivered through these settings before: a refused connection then means the
   * server is down or the network blocks it, not that the port is wrong.
   */
  hasSentBefore?: boolean | undefined;
}

/** How a send's failures are worded: about the message, for this account's server and sign-in. */
export function sendErrorContext(
  settings: Pick<SmtpSettings, 'host' | 'port' | 'security' | 'authMethod'>,
  hasSentBefore = false,
): SmtpErrorContext {
  return {
    host: settings.host,
    port: settings.port,
    security: settings.security,
    purpose: 'send',
    authMethod: settings.authMethod,
    hasSentBefore,
  };
}

/**
 * The provider behind a server, from shared/providers: by its published host or address domains, or
 * by the words only its servers put in their replies.
 */
export function providerFor(host: string, response = ''): Provider | undefined {
  return findProviderByServer(host, response);
}

function situationOf(error: unknown, context: SmtpErrorContext): Situation {
  const f = factsOf(error);
  const command = stageOf(f, context);
  return {
    f,
    context,
    command,
    reply: f.responseCode,
    enhanced: enhancedStatusOf(f.response),
    tls: tlsCodeOf(f),
    server: `${context.host}:${context.port}`,
    said: f.response ? ` The server said: "${f.response.trim()}".` : '',
    provider: providerFor(context.host, f.response),
  };
}

/** Which rule explains this failure (for tests and debugging): its name, or undefined. */
export function ruleFor(error: unknown, context: SmtpErrorContext): string | undefined {
  const situation = situationOf(error, context);
  return ERROR_RULES.find((r) => r.when(situation))?.name;
}

/** Turns whatever nodemailer, net, tls or dns threw into a stable code, plain words and a next step. */
export function classifySmtpError(error: unknown, context: SmtpErrorContext): MailroomError {
  const situation = situationOf(error, context);
  const { f, command, enhanced } = situation;
  const rule = ERROR_RULES.find((r) => r.when(situation));
  const explained = rule ? rule.explain(situation) : unexplained(situation);

  const details: Record<string, unknown> = {};
  if (f.response) details.serverResponse = f.response.trim();
  if (f.responseCode) details.responseCode = f.responseCode;
  if (enhanced) details.enhancedStatus = enhanced;
  if (command) details.command = command;
  if (f.systemCode) details.systemCode = f.systemCode;
  if (f.code && f.code !== f.systemCode) details.libraryCode = f.code;
  if (explained.code === 'AUTH_FAILED' && situation.provider) details.provider = situation.provider.id;
  return {
    code: explained.code,
    message: explained.message,
    hint: explained.hint,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}
