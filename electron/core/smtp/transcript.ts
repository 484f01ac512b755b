import { format } from 'node:util';
import type { SMTPConnectionOptions } from 'nodemailer';

type ExternalLogger = Exclude<SMTPConnectionOptions['logger'], boolean | undefined>;

/** One thing worth knowing from nodemailer's log, already redacted. */
export type TranscriptEvent =
  { kind: 'client'; line: string } | { kind: 'server'; text: string } | { kind: 'upgraded' };

/**
 * Collects an SMTP session as "C: ..." / "S: ..." / "* ..." lines with credentials removed: the
 * arguments of AUTH, every line the client sends while a SASL exchange is going on (after a 334),
 * and the server's 334 challenges (they can echo user names or tokens).
 */
export class Transcript {
  readonly lines: string[] = [];
  private inSasl = false;

  note(text: string): void {
    this.lines.push(`* ${text}`);
  }

  client(raw: string): string {
    let line = raw;
    const auth = /^AUTH\s+(\S+)(\s+\S.*)?$/i.exec(raw.trim());
    if (auth) {
      line = `AUTH ${(auth[1] ?? '').toUpperCase()}${auth[2] ? ' [redacted]' : ''}`;
      this.inSasl = true;
    } else if (this.inSasl) {
      line = '[redacted]';
    }
    this.lines.push(`C: ${line}`);
    return line;
  }

  server(raw: string): string {
    const lines = raw.split(/\r?\n/).filter((l) => l.length > 0);
    const redacted = lines.map((l) => (/^334[ -]?/.test(l) ? '334 [redacted]' : l));
    // A 334 means the SASL exchange goes on; any other reply ends it.
    this.inSasl = lines.some((l) => /^334/.test(l));
    for (const l of redacted) this.lines.push(`S: ${l}`);
    return redacted.join('\n');
  }

  /**
   * A nodemailer logger that feeds this transcript and reports each event. Only 'client' and 'server'
   * entries (transactionLog) and the STARTTLS upgrade notice are used; everything else is dropped,
   * since nodemailer's other log lines may name the user.
   */
  logger(onEvent: (event: TranscriptEvent) => void): ExternalLogger {
    const handle = (entry: unknown, message?: unknown, ...args: unknown[]) => {
      const tnx = (entry as { tnx?: unknown } | undefined)?.tnx;
      const text = typeof message === 'string' ? format(message, ...args) : '';
      if (tnx === 'client') onEvent({ kind: 'client', line: this.client(text) });
      else if (tnx === 'server') onEvent({ kind: 'server', text: this.server(text) });
      else if (tnx === 'smtp' && text === 'Connection upgraded with STARTTLS') onEvent({ kind: 'upgraded' });
    };
    return {
      debug: handle,
      info: handle,
      warn: () => undefined,
      error: () => undefined,
      trace: () => undefined,
      fatal: () => undefined,
    };
  }
}
