import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  messageId: string | undefined;
  from: string;
  to: string[];
  size: number;
  sha256: string;
  /** The bytes as received (kept only when keepRaw is on, so a 100 MB message is never buffered). */
  raw?: Buffer;
}

export interface SinkOptions {
  port?: number;
  keepRaw?: boolean;
  /** A reply for this message instead of 250, e.g. { code: 451, text: '4.3.0 Try again later' }. */
  dataReply?: (attempt: number) => { code: number; text: string } | undefined;
  rejectRecipient?: (address: string) => { code: number; text: string } | undefined;
  /**
   * A reply to MAIL FROM instead of 250: `connection` counts the connections opened (1-based) and
   * `message` the messages begun on this one, e.g. a 421 for the second message of the first.
   */
  mailFromReply?: (at: { connection: number; message: number }) => { code: number; text: string } | undefined;
}

export interface SinkServer {
  host: '127.0.0.1';
  port: number;
  messages: SunkMessage[];
  /** How many SMTP connections clients opened. */
  connections: number;
  /** DATA attempts seen (accepted or not). */
  dataAttempts: number;
  countByMessageId(): Map<string, number>;
  stop(): Promise<void>;
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** The Message-ID header out of the first bytes of a message (headers come first). */
function messageIdOf(head: string): string | undefined {
  const end = head.indexOf('\r\n\r\n');
  const match = /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return match?.[1];
}

/**
 * A real SMTP server (smtp-server) that accepts without TLS or AUTH and records what arrived, by
 * Message-ID, hashing the bytes as they stream in.
 */
export async function startSinkServer(options: SinkOptions = {}): Promise<SinkServer> {
  const messages: SunkMessage[] = [];
  const state = { connections: 0, dataAttempts: 0 };
  /** Per connection (by session id): its number, and how many messages it has begun. */
  const sessions = new Map<string, { connection: number; message: number }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    size: 512 * 1024 * 1024,
    onConnect(session, callback) {
      state.connections++;
      sessions.set(session.id, { connection: state.connections, message: 0 });
      callback();
    },
    onMailFrom(_address, session, callback) {
      const at = sessions.get(session.id);
      if (at) at.message++;
      const reply = at && options.mailFromReply?.(at);
      callback(reply ? smtpError(reply.code, reply.text) : null);
    },
    onRcptTo(address, _session, callback) {
      const rejection = options.rejectRecipient?.(address.address);
      callback(rejection ? smtpError(rejection.code, rejection.text) : null);
    },
    onData(stream, session, callback) {
      state.dataAttempts++;
      const attempt = state.dataAttempts;
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let head = '';
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
        if (head.length < 64 * 1024) head += chunk.toString('latin1');
        if (options.keepRaw) chunks.push(chunk);
      });
      stream.on('end', () => {
        const reply = options.dataReply?.(attempt);
        if (reply) {
          callback(smtpError(reply.code, reply.text));
          return;
        }
        messages.push({
          messageId: messageIdOf(head),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          size,
          sha256: hash.digest('hex'),
          ...(options.keepRaw ? { raw: Buffer.concat(chunks) } : {}),
        });
        callback(null);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    get connections() {
      return state.connections;
    },
    get dataAttempts() {
      return state.dataAttempts;
    },
    countByMessageId() {
      const counts = new Map<string, number>();
      for (const m of messages) if (m.messageId) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return counts;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
