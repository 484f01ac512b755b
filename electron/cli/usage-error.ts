import { parseArgs, type ParseArgsConfig } from 'node:util';
import { quoteValue } from '../../shared/domain/quoted-value';

/** A command line we cannot act on: exit code 2, one line saying why, and a pointer to --help. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help to point at ("verify", "accounts add"); empty for the top level. */
    readonly command = '',
  ) {
    // A message quotes the rejected argument ('…' here, in Node's parseArgs messages): a pasted
    // paragraph would fill the terminal, so a long one is cut.
    super(
      message.replace(/'([^']{61,})'|"([^"]{61,})"/g, (_all, a?: string, b?: string) =>
        quoteValue(a ?? b ?? ''),
      ),
    );
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageErrors. Its own messages are
 * long ("... To specify a positional argument starting with a '-' ..."): keep the first sentence.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
  allowPositionals: boolean,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const first = message.split(/(?<=\.)\s/)[0] ?? message;
    throw new UsageError(first.replace(/\.$/, ''), command);
  }
}

/** A whole number in range, or a UsageError naming the option. */
export function integerOption(
  command: string,
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`--${name} must be a whole number, not ${quoteValue(value)}`, command);
  const n = Number(value);
  if (n < min || n > max)
    throw new UsageError(`--${name} must be between ${min} and ${max}, not ${n}`, command);
  return n;
}

/** Options that take one of a few words. */
export function choiceOption<T extends string>(
  command: string,
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, not ${quoteValue(value)}`, command);
  return value as T;
}
