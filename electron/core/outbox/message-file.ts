import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { ComposeFields } from '../../../shared/domain/outbox';
import { streamToFileDurably } from '../files/durable-files';

export interface SenderIdentity {
  name: string;
  address: string;
  replyTo?: string | undefined;
}

export interface BuiltMessage {
  messageId: string;
  /** SMTP envelope: MAIL FROM and every RCPT TO, Bcc included (Bcc is never in the stored headers). */
  envelope: { from: string; to: string[] };
  size: number;
  /** SHA-256 of the stored bytes (hex): delivery checks the file against it before sending. */
  sha256: string;
}

/** Size and SHA-256 of a stored message file. */
export interface FileDigest {
  size: number;
  sha256: string;
}

/** Passes bytes through unchanged while hashing them, so the digest costs no second read. */
function hashing(): { stream: Transform; digest: () => string } {
  const hash = createHash('sha256');
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

/** Writes `source` durably to `path` and returns what was written, for the entry to record. */
async function storeHashed(source: Readable, path: string): Promise<FileDigest> {
  const { stream, digest } = hashing();
  source.on('error', (error) => stream.destroy(error));
  const size = await streamToFileDurably(source.pipe(stream), path);
  return { size, sha256: digest() };
}

/** Bytes read at a time when checking a stored message: large enough for few reads, small enough to keep. */
const DIGEST_READ_BYTES = 256 * 1024;

/**
 * Size and SHA-256 of the file as it is on disk now. Reads into one buffer it reuses: a read stream
 * would allocate a fresh buffer per chunk, and V8 frees those only at its next collection, so checking
 * a 137 MB message left tens of MB of dead buffers in the process (and in its RSS) at a time.
 */
export async function digestOfFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(DIGEST_READ_BYTES);
  const handle = await open(path, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, size);
      if (bytesRead === 0) break;
      // update() copies what it needs at once, so the buffer can take the next read.
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/** "<uuid@example.com>": a Message-ID in the sender's domain, unique without asking anyone. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@').pop() || 'mailroom.invalid';
  return `<${randomUUID()}@${domain}>`;
}

function withName(address: string, displayNames: Record<string, string> | undefined): Mail.Address | string {
  const name = displayNames?.[address];
  return name ? { name, address } : address;
}

/**
 * Builds the complete RFC 5322 message with nodemailer's MailComposer and streams it into `path`
 * (atomically, fsynced). Attachments are read from disk as the file is written, so a 100 MB attachment
 * never sits in memory. The file is exactly what goes over the wire later.
 */
export async function writeMessageFile(
  path: string,
  fields: ComposeFields,
  from: SenderIdentity,
  options: { displayNames?: Record<string, string> | undefined; date: Date },
): Promise<BuiltMessage> {
  const messageId = newMessageId(from.address);
  const mail: Mail.Options = {
    from: from.name ? { name: from.name, address: from.address } : from.address,
    to: fields.to.map((a) => withName(a, options.displayNames)),
    subject: fields.subject,
    text: fields.text,
    messageId,
    date: options.date,
    // Attachments come from the user's disk only: never fetch a URL while building the message.
    disableUrlAccess: true,
    // RFC 5322 lines end in CRLF. Normalising here (not on the wire) keeps the stored file byte for
    // byte what the server receives.
    newline: 'windows',
  };
  if (fields.cc.length) mail.cc = fields.cc.map((a) => withName(a, options.displayNames));
  // MailComposer leaves Bcc out of the headers (keepBcc is off) but keeps it in the envelope.
  if (fields.bcc.length) mail.bcc = fields.bcc;
  if (from.replyTo) mail.replyTo = from.replyTo;
  if (fields.html !== undefined) mail.html = fields.html;
  if (fields.attachments.length) {
    mail.attachments = fields.attachments.map((a) => ({
      path: a.path,
      ...(a.filename ? { filename: a.filename } : {}),
      ...(a.contentType ? { contentType: a.contentType } : {}),
    }));
  }
  const node = new MailComposer(mail).compile();
  const envelope = node.getEnvelope();
  const { size, sha256 } = await storeHashed(node.createReadStream(), path);
  return {
    messageId,
    envelope: { from: envelope.from === false ? from.address : envelope.from, to: envelope.to },
    size,
    sha256,
  };
}

const HEADER_SCAN_BYTES = 256 * 1024;

/**
 * Copies a stored message under a new Message-ID and Date (resend): a recipient's server may drop a
 * second message with the same Message-ID as a duplicate. Only the header block is rewritten; the
 * body and attachments are streamed from the stored file, so nothing depends on the original files.
 */
export async function copyMessageWithNewIdentity(
  source: string,
  target: string,
  messageId: string,
  date: Date,
): Promise<FileDigest> {
  const handle = await open(source, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEADER_SCAN_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_SCAN_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const end = head.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('The stored message has no header block.');
  const lines = head.subarray(0, end).toString('latin1').split('\r\n');
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!skipping) kept.push(line);
      continue;
    }
    skipping = /^(message-id|date):/i.test(line);
    if (!skipping) kept.push(line);
  }
  const header = [
    `Message-ID: ${messageId}`,
    `Date: ${date.toUTCString().replace(/GMT$/, '+0000')}`,
    ...kept,
  ].join('\r\n');
  async function* bytes() {
    yield Buffer.from(header, 'latin1');
    yield* createReadStream(source, { start: end });
  }
  return storeHashed(Readable.from(bytes()), target);
}

/** One read of a stored message while it is sent. */
const SEND_CHUNK_BYTES = 64 * 1024;
/**
 * Buffers a send cycles through. A chunk is handed on by reference (nodemailer's transforms and the
 * socket keep it until it is written), so a buffer may be refilled only once every stage downstream
 * is done with it. Each stage holds a chunk or two before backpressure stops the reads (16 KB
 * high-water marks, chunks of 64 KB), about ten in all: 32 is three times that.
 */
const SEND_BUFFERS = 32;

/**
 * The bytes of a stored message, read for sending into a fixed ring of buffers (2 MB in all). A read
 * stream allocates a fresh 64 KB buffer per read, and V8 frees those only at its next collection: a
 * 137 MB message left 25-30 MB of dead buffers in the process (and in its RSS) while it was sent.
 * Read only as fast as the consumer asks, so memory stays at the ring whatever the message's size.
 * A chunk stays valid for the next SEND_BUFFERS - 1 reads: hand it on, never keep it longer.
 */
export async function* readMessageChunks(path: string): AsyncGenerator<Buffer> {
  const ring = Array.from({ length: SEND_BUFFERS }, () => Buffer.allocUnsafeSlow(SEND_CHUNK_BYTES));
  const handle = await open(path, 'r');
  try {
    let position = 0;
    for (let i = 0; ; i = (i + 1) % SEND_BUFFERS) {
      const buffer = ring[i]!;
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
