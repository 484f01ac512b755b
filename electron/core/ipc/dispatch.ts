import type { z } from 'zod';
import { contract, type Contract, type EventPayload, type RequestOf } from '../../../shared/ipc/contract';
import { INVOKE_CHANNELS, type EventChannel, type InvokeChannel } from '../../../shared/ipc/channel-names';
import { fail, type MailroomError, type Result } from '../../../shared/result';
import { SettingsUnreadableError } from '../settings/settings-store';
import { KeychainError } from '../credentials/keychain-errors';

/** How a handler reaches the window (or WebSocket) that called it, e.g. for progress events. */
export interface CallContext {
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
}

export type Handler<C extends InvokeChannel> = (
  request: RequestOf<C>,
  context: CallContext,
) => Promise<Result<z.input<Contract[C]['response']>>>;

export type Handlers = { [C in InvokeChannel]: Handler<C> };

export function isInvokeChannel(name: string): name is InvokeChannel {
  return (INVOKE_CHANNELS as readonly string[]).includes(name);
}

/** zod's issues in one sentence a developer can act on; never echoes the payload (it may hold a password). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}

export interface DispatchOptions {
  /**
   * Hands the handler's response back as it is, without the response schema check. Only for a host
   * that prints the answer to the user who owns the profile (the CLI) and only for channels whose
   * handler builds the response from values already validated (listOutbox: entries parsed when they
   * were loaded, reduced to the contract's fields by publicView, as a test checks). Every window
   * (Electron, the browser host) keeps the check: it is the renderer boundary.
   */
  skipResponseCheck?: boolean;
}

/**
 * The one path every request takes after the host has checked who sent it: unknown channel ->
 * error, payload -> schema, handler -> Result, response -> schema (which also strips any field the
 * contract does not name, so nothing extra such as a secret can leak to the renderer).
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  context: CallContext,
  log: (message: string) => void = (m) => console.error(m),
  options: DispatchOptions = {},
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return fail({
      code: 'UNKNOWN_CHANNEL',
      message: `There is no channel named "${channel}".`,
      hint: 'The window and the app are from different versions: restart Mailroom.',
    });
  }
  const spec = contract[channel];
  const parsed = spec.request.safeParse(payload);
  if (!parsed.success) {
    return fail({
      code: 'INVALID_REQUEST',
      message: `Invalid ${channel} request: ${describeIssues(parsed.error)}`,
      hint: 'Check the highlighted fields and try again.',
    });
  }
  let result: Result<unknown>;
  try {
    const handler = handlers[channel] as (req: unknown, ctx: CallContext) => Promise<Result<unknown>>;
    result = await handler(parsed.data, context);
  } catch (error) {
    // Errors the core throws on purpose (an unusable settings file, a keychain that refuses) carry
    // their own words and fix; only anything else is a bug that deserves the generic message.
    const known = knownFailure(error);
    if (known) return fail(known);
    log(`mailroom: ${channel} failed: ${error instanceof Error ? error.message : String(error)}`);
    return fail({
      code: 'INTERNAL',
      message: `Something went wrong in Mailroom (${channel}).`,
      hint: 'Try again. If it keeps happening, restart Mailroom and report the problem.',
    });
  }
  if (!result.ok || options.skipResponseCheck) return result;
  const checked = spec.response.safeParse(result.value);
  if (!checked.success) {
    log(`mailroom: ${channel} produced an invalid response: ${describeIssues(checked.error)}`);
    return fail({
      code: 'INTERNAL',
      message: `Mailroom produced an invalid ${channel} response.`,
      hint: 'Try again. If it keeps happening, restart Mailroom and report the problem.',
    });
  }
  return { ok: true, value: checked.data };
}

function knownFailure(error: unknown): MailroomError | undefined {
  if (error instanceof SettingsUnreadableError) return error.error;
  if (error instanceof KeychainError) return error.toMailroomError();
  return undefined;
}
