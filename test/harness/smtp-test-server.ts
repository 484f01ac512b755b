import {
  SMTPServer,
  type SMTPServerAuthentication,
  type SMTPServerOptions,
  type SMTPServerSession,
} from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './test-certificates';

export { makeTestCertificates, type TestCertificates, type KeyPair } from './test-certificates';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: string;
  /** The queue ID the server named in its 250 reply (with `queueIds`). */
  queueId?: string;
}

export interface TestSmtpServerOptions {
  /** Implicit TLS (like 465). Needs `certificate`. */
  secure?: boolean;
  /** Certificate for implicit TLS or STARTTLS; without one the server offers no encryption. */
  certificate?: KeyPair;
  /** false: do not advertise or accept STARTTLS even with a certificate. */
  starttls?: boolean;
  /** 'required' (default): AUTH offered (only after TLS unless allowInsecureAuth). 'none': no AUTH at all. */
  auth?: 'required' | 'none';
  allowInsecureAuth?: boolean;
  /** SASL mechanisms to offer; default PLAIN and LOGIN. */
  authMethods?: string[];
  users?: Record<string, string>;
  /** Reply to a wrong password, e.g. "5.7.8 Username and Password not accepted ... gsmtp". */
  authFailureText?: string;
  authFailureCode?: number;
  /** SIZE limit in bytes (advertised and enforced). */
  size?: number;
  /** Holds the greeting back this long (smtp-server greets after onConnect calls back). */
  greetingDelayMs?: number;
  rejectSender?: (address: string) => { code: number; text: string } | undefined;
  rejectRecipient?: (address: string) => { code: number; text: string } | undefined;
  /** Holds the reply to RCPT TO for this address until the promise settles (a slow server). */
  holdRecipient?: (address: string) => Promise<void> | undefined;
  /** Answer DATA as Postfix does, "250 2.0.0 Ok: queued as <ID>", with a fresh ID per message. */
  queueIds?: boolean;
}

export interface TestSmtpServer {
  host: '127.0.0.1';
  port: number;
  messages: ReceivedMessage[];
  /** Mechanisms and user names that signed in (never passwords). */
  logins: string[];
  stop(): Promise<void>;
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** An in-process smtp-server on a free 127.0.0.1 port, configured like the server under test. */
export async function startSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const users = options.users ?? { 'user@example.test': 'correct horse' };
  let port = 0;
  const messages: ReceivedMessage[] = [];
  const logins: string[] = [];
  const disabledCommands: string[] = [];
  if (options.auth === 'none') disabledCommands.push('AUTH');
  if (!options.certificate || options.starttls === false || options.secure) disabledCommands.push('STARTTLS');

  const config: SMTPServerOptions = {
    secure: options.secure ?? false,
    ...(options.certificate ? { key: options.certificate.key, cert: options.certificate.cert } : {}),
    name: 'test.mailroom.invalid',
    banner: 'Mailroom test server',
    logger: false,
    // Tests stop servers with clients still attached (timeouts, aborts): do not wait 30 s for them.
    closeTimeout: 200,
    disabledCommands,
    authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
    authOptional: options.auth === 'none',
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    ...(options.size ? { size: options.size } : {}),
    onConnect(_session: SMTPServerSession, callback: (err?: Error | null) => void) {
      if (options.greetingDelayMs) setTimeout(() => callback(), options.greetingDelayMs);
      else callback();
    },
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
      const username = auth.username ?? '';
      if (auth.password !== undefined && users[username] === auth.password) {
        logins.push(`${auth.method} ${username}`);
        callback(null, { user: username });
        return;
      }
      callback(
        smtpError(
          options.authFailureCode ?? 535,
          options.authFailureText ?? '5.7.8 Authentication credentials invalid',
        ),
      );
    },
    onMailFrom(address, _session, callback) {
      const rejection = options.rejectSender?.(address.address);
      callback(rejection ? smtpError(rejection.code, rejection.text) : null);
    },
    onRcptTo(address, _session, callback) {
      const reply = () => {
        const rejection = options.rejectRecipient?.(address.address);
        callback(rejection ? smtpError(rejection.code, rejection.text) : null);
      };
      const hold = options.holdRecipient?.(address.address);
      if (hold) void hold.then(reply, reply);
      else reply();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const sizeExceeded = (stream as unknown as { sizeExceeded?: boolean }).sizeExceeded;
        if (sizeExceeded) {
          callback(smtpError(552, '5.3.4 Message exceeds fixed maximum message size'));
          return;
        }
        const queueId = options.queueIds
          ? `4F${(messages.length + 1).toString(16).toUpperCase().padStart(4, '0')}A${String(port).slice(-3)}`
          : undefined;
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          ...(queueId ? { queueId } : {}),
        });
        // smtp-server sends a string given here as the text of its 250 reply.
        if (queueId)
          (callback as (err: null, message: string) => void)(null, `2.0.0 Ok: queued as ${queueId}`);
        else callback(null);
      });
    },
  };
  const server = new SMTPServer(config);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    logins,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
