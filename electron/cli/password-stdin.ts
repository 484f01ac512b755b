import { TextDecoder } from 'node:util';
import { UsageError } from './usage-error';

/**
 * `--password-stdin`: the password comes from a pipe (like `docker login --password-stdin`), so it never
 * appears in the process list or shell history. One trailing newline (from `echo` or a file) is not part
 * of it; anything else is kept as typed.
 */
export async function readPasswordFromStdin(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  command: string,
): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(
      `--password-stdin reads the password from a pipe, e.g. printf '%s' "$PASSWORD" | mailroom ${command} …`,
      command,
    );
  }
  const password = stripOneNewline(await readAll(stdin, command));
  if (password === '') throw new UsageError('--password-stdin got an empty password on stdin', command);
  return password;
}

export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/** stdin as UTF-8; bytes that are not UTF-8 are refused (they would silently become another password). */
export async function readAll(stream: NodeJS.ReadableStream, command = ''): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UsageError('--password-stdin: the password on stdin is not valid UTF-8 text', command);
  }
}
