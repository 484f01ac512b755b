import type { CliIo } from '../cli-io';
import { CliSession, type SessionOptions } from '../cli-session';
import type { CliCore } from '../cli-core';
import type { MailroomError } from '../../../shared/result';
import { failureDocument } from '../output/json-output';

/** What a command hands back: its exit code (0 success, 1 the operation failed, 3 sent but some recipients refused) and its JSON document. */
export interface CommandOutcome {
  exitCode: 0 | 1 | 3;
  document: Record<string, unknown>;
}

export interface CommandContext {
  io: CliIo;
  /** Opens the profile (lazily) once the command line has been understood. */
  session(profile: string | undefined, json: boolean | undefined, options?: SessionOptions): CliSession;
}

export interface Command {
  /** "verify", "accounts add": what follows `mailroom`. */
  name: string;
  summary: string;
  /** The --help text. */
  help: string;
  run(args: string[], context: CommandContext): Promise<CommandOutcome>;
  /**
   * Work the command can start before the core is loaded, to run while it loads (the core is most
   * of the CLI's start). Best effort: it must not fail or print; `run` still does and checks
   * everything itself.
   */
  beforeCore?(args: string[], io: CliIo): void;
}

/** A failed operation: the error in plain words on stderr, exit 1, and the JSON failure document. */
export function failed(
  session: CliSession,
  error: MailroomError,
  extra: Record<string, unknown> = {},
): CommandOutcome {
  session.human.error(error);
  return { exitCode: 1, document: failureDocument(error, extra) };
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  profile: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function makeContext(io: CliIo, sessions: CliSession[], core: CliCore): CommandContext {
  return {
    io,
    session(profile, json, options) {
      const session = new CliSession(io, profile, json === true, core, options);
      sessions.push(session);
      return session;
    },
  };
}
