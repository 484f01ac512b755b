import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { detectExtension, detectMimeType } from 'nodemailer/lib/mime-funcs';
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
const DIGEST_READ_BYTES = 64 * 1024;

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
    mail.attachments = fields.attachments.map((a) => {
      // As nodemailer names and types a file attachment: the type from the name (or the path), a
      // name without an extension gets the type's.
      const contentType = a.contentType || detectMimeType(a.filename || a.path);
      let filename = a.filename || basename(a.path.replace(/\\/g, '/'));
      if (!a.filename && !filename.includes('.')) filename += `.${detectExtension(contentType)}`;
      return { filename, contentType, raw: Readable.from(attachmentPart(a.path, filename, contentType)) };
    });
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
 * is done with it. Backpressure bounds that: with 16 KB high-water marks and 64 KB chunks a stage
 * takes one chunk and asks for no more until it has passed it on, so only a few are in flight (in a
 * 100 MB test against a slow TLS server two buffers were too few, four enough): 16 is four times that.
 */
const SEND_BUFFERS = 16;

/**
 * The bytes of a stored message, read for sending into a fixed ring of buffers (1 MB in all). A read
 * stream allocates a fresh 64 KB buffer per read, and V8 frees those only at its next collection: a
 * 137 MB message left 25-30 MB of dead buffers in the process (and in its RSS) while it was sent.
 * Read only as fast as the consumer asks, so memory stays at the ring whatever the message's size.
 * A chunk stays valid for the next SEND_BUFFERS - 1 reads: hand it on, never keep it longer.
 */
export async function* readMessageChunks(path: string): AsyncGenerator<Buffer> {
  // Filled as needed, each no larger than the message: a 40 KB message takes one 40 KB buffer, not
  // 64 KB plus a second one for the read that finds the end (a thousand messages sent in a row
  // otherwise leave 100 MB of dead buffers for the collector).
  const ring: Buffer[] = [];
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const chunkBytes = Math.max(1, Math.min(SEND_CHUNK_BYTES, size));
    let position = 0;
    for (let i = 0; ; i = (i + 1) % SEND_BUFFERS) {
      // A message file is never changed once written (delivery checked its size and hash before
      // this): its end is where it was when opened.
      if (position >= size) return;
      const buffer = (ring[i] ??= Buffer.allocUnsafeSlow(chunkBytes));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Input bytes per base64 block: whole 76-character lines (57 bytes each), about 64 KB at a time. */
const BASE64_BLOCK_BYTES = 57 * 1150;
const BASE64_LINE_CHARS = 76;
/**
 * Output buffers an attachment cycles through (700 KB for a large file). Fewer than the send's: a
 * buffer refilled too early here would show, since the hash of what is stored is taken before the
 * file write and delivery checks the file against it (MESSAGE_FILE_DAMAGED, nothing sent). Three
 * were enough in a 100 MB test, two were not.
 */
const ATTACHMENT_BUFFERS = 8;

/**
 * One attachment as its complete MIME part: nodemailer's own header block (filename and type
 * encoded as it encodes them), then the file base64-encoded in 76-character lines, read and written
 * through reused buffers. nodemailer's encoder allocates three buffers per chunk it encodes; V8 frees
 * them only at its next collection, so composing a 100 MB attachment kept 10-15 MB of dead buffers
 * in the process at a time. Output chunks cycle through a ring like the send's (see SEND_BUFFERS).
 */
async function* attachmentPart(path: string, filename: string, contentType: string): AsyncGenerator<Buffer> {
  // A child of a throwaway parent: a root node would add Date, Message-ID and MIME-Version.
  const node = new MimeNode('multipart/mixed').createChild(contentType, { filename });
  // Content-Disposition: attachment comes from buildHeaders (the node has a filename), after this.
  node.setHeader('Content-Transfer-Encoding', 'base64');
  yield Buffer.from(`${node.buildHeaders()}\r\n\r\n`, 'latin1');

  const handle = await open(path, 'r');
  try {
    // Blocks no larger than the file (in whole lines): a 20 KB attachment takes 75 KB of buffers,
    // not 240 KB, which adds up for a thousand messages. A file that grew since is read on in
    // blocks of this size; one that shrank ends at the short read, as before.
    const { size } = await handle.stat();
    const blockBytes = Math.min(BASE64_BLOCK_BYTES, Math.max(1, Math.ceil(size / 57)) * 57);
    const input = Buffer.allocUnsafe(blockBytes);
    const encoded = Buffer.allocUnsafe((blockBytes / 57) * BASE64_LINE_CHARS);
    const ring: Buffer[] = [];
    const outBytes = (encoded.length / BASE64_LINE_CHARS) * (BASE64_LINE_CHARS + 2);
    let position = 0;
    let first = true;
    for (let slot = 0; ; slot = (slot + 1) % ATTACHMENT_BUFFERS) {
      let filled = 0;
      while (filled < input.length) {
        const { bytesRead } = await handle.read(input, filled, input.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) return;
      position += filled;
      // The string is the only allocation per block (V8's young generation takes it back cheaply).
      const length = encoded.write(input.toString('base64', 0, filled), 'latin1');
      const out = (ring[slot] ??= Buffer.allocUnsafeSlow(outBytes));
      let to = 0;
      for (let from = 0; from < length; from += BASE64_LINE_CHARS) {
        // Lines are separated, not terminated: the part's last line ends where the content does.
        if (!first) {
          out[to++] = 0x0d;
          out[to++] = 0x0a;
        }
        first = false;
        to += encoded.copy(out, to, from, Math.min(from + BASE64_LINE_CHARS, length));
      }
      yield out.subarray(0, to);
      if (filled < input.length) return;
    }
  } finally {
    await handle.close();
  }
}
