import type { CliIo } from '../cli-io';
import { CliSession } from '../cli-session';

/** What a command hands back: its exit code (0 success, 1 the operation failed) and its JSON document. */
export interface CommandOutcome {
  exitCode: 0 | 1;
  document: Record<string, unknown>;
}

export interface CommandContext {
  io: CliIo;
  /** Opens the profile (lazily) once the command line has been understood. */
  session(profile: string | undefined, json: boolean | undefined): CliSession;
}

export interface Command {
  /** "verify", "accounts add": what follows `mailroom`. */
  name: string;
  summary: string;
  /** The --help text. */
  help: string;
  run(args: string[], context: CommandContext): Promise<CommandOutcome>;
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  profile: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function makeContext(io: CliIo, sessions: CliSession[]): CommandContext {
  return {
    io,
    session(profile, json) {
      const session = new CliSession(io, profile, json === true);
      sessions.push(session);
      return session;
    },
  };
}
