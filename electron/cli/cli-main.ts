import { Console } from 'node:console';
import { processIo, type CliIo } from './cli-io';
import type { CliSession } from './cli-session';
import { makeContext, type Command } from './commands/command';
import { loadCliCore } from './cli-core';
import { verifyCommand } from './commands/verify-command';
import { discoverCommand } from './commands/discover-command';
import { accountsAddCommand, accountsListCommand, accountsRemoveCommand } from './commands/accounts-commands';
import { sendCommand } from './commands/send-command';
import { testMessageCommand } from './commands/test-message-command';
import {
  outboxCancelCommand,
  outboxFlushCommand,
  outboxListCommand,
  outboxRetryCommand,
} from './commands/outbox-commands';
import { MERGE_COMMANDS } from './commands/merge-command';
import { refuseUndecodableArguments } from './text-input';
import { UsageError } from './usage-error';
import { failureDocument, writeJson } from './output/json-output';

export { loadCliCore };

/**
 * For the build, which loads the core once to keep its compiled code for every start: the core and
 * the modules it loads only for the commands that need them.
 */
export async function loadCliCodeForCache(): Promise<void> {
  await loadCliCore();
  await (await import('../core/mailroom-core')).loadOnDemandModules();
}

export const COMMANDS: readonly Command[] = [
  verifyCommand,
  discoverCommand,
  accountsAddCommand,
  accountsListCommand,
  accountsRemoveCommand,
  sendCommand,
  testMessageCommand,
  outboxListCommand,
  outboxRetryCommand,
  outboxCancelCommand,
  outboxFlushCommand,
  ...MERGE_COMMANDS,
];

/** Commands with subcommands ("accounts add"): the group name alone is not a command. */
const GROUPS = ['accounts', 'outbox'];

export const MAIN_HELP = `Usage: mailroom COMMAND [OPTIONS]

Check SMTP settings and send mail from a terminal, with the accounts and keychain of the Mailroom app.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`).join('\n')}

Options for every command:
  --profile DIR    the profile (settings, outbox) to use; default: $MAILROOM_PROFILE, else the app's
                   data directory
  --json           print exactly one JSON document on stdout; failures are {ok:false, error:{code,
                   message, hint}}
  -h, --help       help for a command, e.g. mailroom verify --help

Exit codes: 0 success, 1 the operation failed (the error code is in the output), 2 usage error,
3 sent, but the server refused some recipients (send, outbox retry).`;

/** Options that may come before the command name; they are handed on to the command. */
function splitLeadingOptions(argv: string[]): { leading: string[]; rest: string[] } {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--profile') {
      if (argv[i + 1] === undefined) throw new UsageError("option '--profile <value>' argument missing");
      leading.push(arg, argv[i + 1]!);
      i += 2;
    } else if (arg.startsWith('--profile=') || arg === '--json' || arg === '--help' || arg === '-h') {
      leading.push(arg);
      i += 1;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option '${arg}' before the command`);
    } else {
      break;
    }
  }
  return { leading, rest: argv.slice(i) };
}

/** Finds the command the words name ("accounts add") and the arguments after them. */
export function resolveCommand(argv: string[]): {
  command: Command | undefined;
  args: string[];
  help: boolean;
} {
  const { leading, rest } = splitLeadingOptions(argv);
  const wantsHelp = (list: string[]) => list.includes('--help') || list.includes('-h');
  const [first, second] = rest;
  if (first === undefined) {
    if (wantsHelp(leading)) return { command: undefined, args: [], help: true };
    throw new UsageError('no command given');
  }
  if (first === 'help') {
    const named = COMMANDS.find((c) => c.name === rest.slice(1).join(' '));
    return { command: named, args: [], help: true };
  }
  if (GROUPS.includes(first)) {
    if (second === undefined || second.startsWith('-')) {
      if (wantsHelp([...leading, ...rest])) return { command: undefined, args: [], help: true };
      const subcommands = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map(
        (c) => c.name.split(' ')[1],
      );
      throw new UsageError(`'${first}' needs a subcommand: ${subcommands.join(', ')}`);
    }
    const command = COMMANDS.find((c) => c.name === `${first} ${second}`);
    if (!command) throw new UsageError(`unknown command '${first} ${second}'`);
    const args = [...leading, ...rest.slice(2)];
    return { command, args, help: wantsHelp(args) };
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command '${first}'`);
  const args = [...leading, ...rest.slice(1)];
  return { command, args, help: wantsHelp(args) };
}

/**
 * Runs one command line and returns the exit code: 0 success, 1 the operation failed, 2 usage error,
 * 3 sent but some recipients refused.
 * In --json mode exactly one JSON document goes to stdout, whatever happens.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const json = argv.includes('--json');
  const sessions: CliSession[] = [];
  // Nothing but our own output may reach stdout: a stray console.log from a library would break
  // the one-document promise of --json.
  const previous = globalThis.console;
  globalThis.console = new Console({ stdout: io.stderr, stderr: io.stderr });
  try {
    const { command, args, help } = resolveCommand(argv);
    if (help) {
      io.stdout.write(`${command ? command.help : MAIN_HELP}\n`);
      return 0;
    }
    if (!command) throw new UsageError('no command given');
    refuseUndecodableArguments(args, command.name);
    try {
      command.beforeCore?.(args, io);
    } catch {
      // Only a head start: the command reports what is wrong with its arguments when it runs.
    }
    const outcome = await command.run(args, makeContext(io, sessions, await loadCliCore()));
    if (json) writeJson(io.stdout, outcome.document);
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      const helpFor = error.command ? `mailroom ${error.command} --help` : 'mailroom --help';
      io.stderr.write(
        `mailroom${error.command ? ` ${error.command}` : ''}: ${error.message}\nRun '${helpFor}' for usage.\n`,
      );
      if (json)
        writeJson(
          io.stdout,
          failureDocument({
            code: 'INVALID_REQUEST',
            message: error.message,
            hint: `Run '${helpFor}' for usage.`,
          }),
        );
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`mailroom: unexpected failure: ${message}\n`);
    if (json)
      writeJson(
        io.stdout,
        failureDocument({ code: 'INTERNAL', message: `Mailroom failed unexpectedly: ${message}` }),
      );
    return 1;
  } finally {
    for (const session of sessions) await session.close().catch(() => undefined);
    globalThis.console = previous;
  }
}
