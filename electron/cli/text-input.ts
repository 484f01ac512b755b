import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { MailroomError } from '../../shared/result';
import { UsageError } from './usage-error';

/**
 * Text that reaches a command as bytes (a --text-file, stdin) is UTF-8 unless the user names another
 * encoding with --charset. Bytes that are not UTF-8 are refused, never turned into U+FFFD: a Latin-1
 * file would otherwise go out with every "é" replaced, and the command would still say it was sent.
 */

export const CHARSET_HINT =
  'try --charset windows-1252 (Latin-1), --charset utf-16le, or the encoding the text was saved in';

const UTF16_LE_BOM = [0xff, 0xfe];
const UTF16_BE_BOM = [0xfe, 0xff];

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** A TextDecoder for --charset NAME, or a usage error that names the option. */
export function charsetOption(command: string, value: string | undefined): TextDecoder | undefined {
  if (value === undefined) return undefined;
  try {
    // fatal: even an explicit encoding refuses bytes it cannot map (an odd byte count in UTF-16).
    return new TextDecoder(value.trim(), { fatal: true });
  } catch {
    throw new UsageError(
      `--charset ${value.slice(0, 40)} is not an encoding Mailroom knows (for example utf-8, windows-1252, latin1, utf-16le, iso-8859-15)`,
      command,
    );
  }
}

/** The line (1-based) of the first character that did not decode, for the error message. */
function firstBadLine(bytes: Uint8Array): number {
  const lossy = new TextDecoder('utf-8').decode(bytes);
  const at = lossy.indexOf('\uFFFD');
  return lossy.slice(0, Math.max(0, at)).split('\n').length;
}

/**
 * Decodes what `source` ("--text-file body.txt", "stdin") gave: with `decoder` (from --charset) when
 * there is one, else as UTF-8 (a UTF-8 byte order mark is dropped), refusing anything else.
 */
export function decodeText(
  bytes: Uint8Array,
  source: string,
  command: string,
  decoder: TextDecoder | undefined,
): string {
  if (decoder) {
    try {
      return decoder.decode(bytes);
    } catch {
      throw new UsageError(`${source} is not valid ${decoder.encoding} text`, command);
    }
  }
  if (startsWith(bytes, UTF16_LE_BOM) || startsWith(bytes, UTF16_BE_BOM)) {
    const which = startsWith(bytes, UTF16_LE_BOM) ? 'utf-16le' : 'utf-16be';
    throw new UsageError(
      `${source} is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8; pass --charset ${which} to send it`,
      command,
    );
  }
  let text: string;
  try {
    // TextDecoder drops a UTF-8 byte order mark by itself.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(
      `${source} is not valid UTF-8 (the first bad byte is on line ${firstBadLine(bytes)}); ${CHARSET_HINT}`,
      command,
    );
  }
  if (text.includes('\0')) {
    throw new UsageError(
      `${source} contains NUL bytes, so it is not UTF-8 text (UTF-16 without a byte order mark?); pass --charset utf-16le or --charset utf-16be`,
      command,
    );
  }
  return text;
}

/**
 * A file named by an option (`--text-file body.txt`) as text, decoded as decodeText does; a file
 * that cannot be read is an error to report (exit 1), not a usage error.
 */
export async function readTextFile(
  path: string,
  option: string,
  command: string,
  decoder: TextDecoder | undefined,
): Promise<string | MailroomError> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return {
      code: 'FILE_NOT_FOUND',
      message: `${option} ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      hint: 'Check the path and that the file is readable.',
    };
  }
  return decodeText(bytes, `${option} ${path}`, command, decoder);
}

/** Every byte of a stream (stdin), undecoded. */
export async function readAllBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Node decodes the command line before we see it: bytes that were not UTF-8 arrive as U+FFFD, and
 * nothing can bring them back. Such an argument is refused, naming its option.
 */
export function refuseUndecodableArguments(argv: string[], command: string): void {
  const index = argv.findIndex((arg) => arg.includes('\uFFFD'));
  if (index < 0) return;
  const arg = argv[index]!;
  const previous = argv[index - 1];
  const option = arg.startsWith('-')
    ? arg.split('=')[0]!
    : previous?.startsWith('-') && !previous.includes('=')
      ? previous
      : `argument ${index + 1}`;
  throw new UsageError(
    `${option}: the value is not valid UTF-8 (the terminal or script passed bytes in another encoding, shown as U+FFFD); set a UTF-8 locale, or put the text in a file and use --text-file FILE --charset NAME`,
    command,
  );
}
