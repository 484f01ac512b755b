import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, read } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { detectExtension, detectMimeType } from 'nodemailer/lib/mime-funcs';
import type Mail from 'nodemailer/lib/mailer';
import type { ComposeFields } from '../../../shared/domain/outbox';
import { streamToFileDurably } from '../files/durable-files';
import { crlfLineBreaks } from './crlf-line-breaks';

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

/**
 * One read into `buffer` at `position` of the open file: the bytes read (0 at the end). Through the
 * callback API on the handle's descriptor: FileHandle.read makes about 2.3 KB of short-lived objects
 * per call, this about 0.5 KB, and the reads of a large message are thousands of calls whose garbage
 * is what fills V8's young generation (see encodeBase64Lines).
 */
function readAt(handle: FileHandle, buffer: Buffer, offset: number, length: number, position: number) {
  return new Promise<number>((resolve, reject) => {
    read(handle.fd, buffer, offset, length, position, (error, bytesRead) =>
      error ? reject(error) : resolve(bytesRead),
    );
  });
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

/**
 * Bytes read at a time when checking a stored message. Every read costs a few KB of short-lived
 * objects (promise, request, result) in V8's young generation: 64 KB reads of a 137 MB message made
 * 2,100 of them (about 4.5 MB), which helped fill and flip V8's new space and touch memory it had not
 * used before. 256 KB takes a quarter of the reads for 192 KB more buffer.
 */
const DIGEST_READ_BYTES = 256 * 1024;

/**
 * Size and SHA-256 of the file as it is on disk now. Reads into one buffer it reuses: a read stream
 * would allocate a fresh buffer per chunk, and V8 frees those only at its next collection, so checking
 * a 137 MB message left tens of MB of dead buffers in the process (and in its RSS) at a time.
 */
export async function digestOfFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  let size = 0;
  try {
    // No larger than the file: a thousand small messages checked in a row must not each take 256 KB.
    const { size: expected } = await handle.stat();
    const buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(DIGEST_READ_BYTES, expected)));
    for (;;) {
      const bytesRead = await readAt(handle, buffer, 0, buffer.length, size);
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
    // No newline option: RFC 5322 lines end in CRLF, and crlfLineBreaks (below) makes them so, as
    // newline: 'windows' would, at a fraction of its cost.
  };
  if (fields.cc.length) mail.cc = fields.cc.map((a) => withName(a, options.displayNames));
  // MailComposer leaves Bcc out of the headers (keepBcc is off) but keeps it in the envelope.
  if (fields.bcc.length) mail.bcc = fields.bcc;
  if (from.replyTo) mail.replyTo = from.replyTo;
  if (fields.html !== undefined) mail.html = fields.html;
  // The attachments' output buffers, handed on to the next send once the file is on disk.
  const rings: Buffer[] = [];
  if (fields.attachments.length) {
    mail.attachments = fields.attachments.map((a) => {
      // As nodemailer names and types a file attachment: the type from the name (or the path), a
      // name without an extension gets the type's.
      const contentType = a.contentType || detectMimeType(a.filename || a.path);
      let filename = a.filename || basename(a.path.replace(/\\/g, '/'));
      if (!a.filename && !filename.includes('.')) filename += `.${detectExtension(contentType)}`;
      // A byte stream: in object mode it would read up to 16 chunks ahead of what is taken from it.
      const raw = Readable.from(attachmentPart(a.path, filename, contentType, rings), { objectMode: false });
      return { filename, contentType, raw };
    });
  }
  const node = new MailComposer(mail).compile();
  const envelope = node.getEnvelope();
  // Normalised here (not on the wire), so the stored file is byte for byte what the server receives.
  const composed = node.createReadStream();
  const lines = crlfLineBreaks();
  composed.on('error', (error) => lines.destroy(error));
  const { size, sha256 } = await storeHashed(composed.pipe(lines), path);
  // Only now: every stage that held a chunk of them has finished (the file is written and synced).
  giveBackBuffers(rings);
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

/**
 * One read of a stored message while it is sent, and the chunk handed on. Each chunk costs a few KB
 * of short-lived objects on its way through nodemailer's streams to the socket (request, callbacks,
 * promises). At 64 KB a 137 MB message made 2,100 chunks and 10-15 MB of such garbage, which filled
 * V8's young generation and made it flip into memory it had not touched before: 10 MB more resident
 * than at 256 KB (where the ring costs 2 MB more, see SEND_BUFFERS).
 */
const SEND_CHUNK_BYTES = 256 * 1024;
/**
 * Buffers a send cycles through (3 MB in all). A chunk is handed on by reference (nodemailer's
 * transforms and the socket keep it until it is written), so a buffer may be refilled only once every
 * stage downstream is done with it. Backpressure bounds that whatever the chunks' size: with 16 KB
 * high-water marks a stage holds at most two (one passed on and waiting to be read, one waiting to be
 * transformed). Between the file and the socket are the read stream (one), the delivery's lookahead
 * (one, it holds the last chunk back), nodemailer's PassThrough, LastNewline and DataStream (two
 * each) and the socket (one being written, one waiting): 10, so the 11th buffer is the first that
 * is safe to refill. A 48 MB test against a slow TLS server already fails with four.
 */
const SEND_BUFFERS = 12;

/** How long a buffer given back waits for a send to take it before it is left to the collector. */
const SPARE_BUFFERS_MS = 10_000;
const spareBuffers: Buffer[] = [];
let spareTimer: NodeJS.Timeout | undefined;

/**
 * Gives the compose ring's buffers (of SEND_CHUNK_BYTES each) to the sends that follow: a message is
 * usually sent right after it is queued, and its send ring would otherwise be 3 MB more on top of
 * the 4 MB of compose buffers still waiting for the collector. Called only once nothing can still
 * read them. Kept for SPARE_BUFFERS_MS at most, never more than two rings' worth.
 */
function giveBackBuffers(buffers: Buffer[]): void {
  for (const buffer of buffers) {
    if (buffer.length === SEND_CHUNK_BYTES && spareBuffers.length < 2 * SEND_BUFFERS)
      spareBuffers.push(buffer);
  }
  buffers.length = 0;
  if (spareBuffers.length === 0) return;
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => (spareBuffers.length = 0), SPARE_BUFFERS_MS);
  spareTimer.unref();
}

/** A buffer for a ring: one given back if it has this size, otherwise a new one. */
function ringBuffer(bytes: number): Buffer {
  return (bytes === SEND_CHUNK_BYTES && spareBuffers.pop()) || Buffer.allocUnsafeSlow(bytes);
}

/**
 * The bytes of a stored message, read for sending into a fixed ring of buffers. A read stream
 * allocates a fresh buffer per read, and V8 frees those only at its next collection: a 137 MB message
 * left 25-30 MB of dead buffers in the process (and in its RSS) while it was sent. Read only as fast
 * as the consumer asks, so memory stays at the ring whatever the message's size. A chunk stays valid
 * for the next SEND_BUFFERS - 1 reads: hand it on, never keep it longer.
 */
export async function* readMessageChunks(path: string): AsyncGenerator<Buffer> {
  // Filled as needed, each no larger than the message: a 40 KB message takes one 40 KB buffer, not
  // 256 KB plus a second one for the read that finds the end (a thousand messages sent in a row
  // otherwise leave hundreds of MB of dead buffers for the collector).
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
      const buffer = (ring[i] ??= ringBuffer(chunkBytes));
      const bytesRead = await readAt(handle, buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Input bytes per base64 block: whole 76-character lines (57 bytes each), as many as fit one of the
 * send's buffers once encoded (187 KB in, 256 KB out), so the send after it can reuse them (see
 * giveBackBuffers). Every chunk costs a few KB of short-lived objects on its way through nodemailer's
 * streams to the file, so large blocks also mean little garbage (see SEND_CHUNK_BYTES).
 */
const BASE64_BLOCK_BYTES = 57 * Math.floor(SEND_CHUNK_BYTES / (76 + 2));
const BASE64_LINE_BYTES = 57;
/** A line of output and the CRLF that separates it from the one before. */
const BASE64_LINE_OUT_BYTES = 76 + 2;
/**
 * Output buffers an attachment cycles through (4 MB for a large file, then the send's). As for the
 * send's ring (see SEND_BUFFERS), the high-water marks bound the chunks still held downstream: the read stream (one,
 * a byte stream: an object-mode one would read 16 chunks ahead), nodemailer's PassThrough and
 * LastNewline, crlfLineBreaks, the hash, the write coalescing and the file stream (two each): 13, so
 * the 14th is the first that is safe to refill. A buffer refilled too early corrupts the file before
 * its hash is taken, so the check before sending would not see it: the unit tests compare an
 * attachment many rings long with nodemailer's own output. With the file written as fast as it is
 * made two buffers are enough; on a loaded machine five were not (the check found a damaged file).
 */
const ATTACHMENT_BUFFERS = 16;

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/**
 * Two base64 characters for every 12 bits of input, as the 16-bit value whose bytes in memory are
 * those two characters (built through the machine's own byte order, so right on any endianness).
 */
const BASE64_PAIRS = (() => {
  const bytes = new Uint8Array(4096 * 2);
  for (let i = 0; i < 4096; i++) {
    bytes[2 * i] = BASE64_ALPHABET.charCodeAt(i >> 6);
    bytes[2 * i + 1] = BASE64_ALPHABET.charCodeAt(i & 63);
  }
  return new Uint16Array(bytes.buffer);
})();
const CRLF_PAIR = new Uint16Array(Uint8Array.of(0x0d, 0x0a).buffer)[0]!;

/**
 * Base64 of `input[0, length)` in 76-character lines into `out` (from its start, whose byte offset
 * must be even), a CRLF before every line unless `firstLine`. Returns the bytes written. Written here
 * rather than with toString('base64'): that makes a JS string per block (137 MB of them for a 100 MB
 * file), and that much young-generation garbage made V8 grow its new space to its maximum, about
 * 11 MB more resident memory for as long as the process lives. This allocates nothing.
 */
export function encodeBase64Lines(
  input: Uint8Array,
  length: number,
  out: Buffer,
  firstLine: boolean,
): number {
  const pairs = new Uint16Array(out.buffer, out.byteOffset, out.length >> 1);
  let w = 0;
  let i = 0;
  let first = firstLine;
  const whole = length - (length % 3);
  while (i < length) {
    if (!first) pairs[w++] = CRLF_PAIR;
    first = false;
    const lineStart = i;
    const lineEnd = Math.min(i + BASE64_LINE_BYTES, whole);
    for (; i < lineEnd; i += 3) {
      const n = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
      pairs[w++] = BASE64_PAIRS[n >>> 12]!;
      pairs[w++] = BASE64_PAIRS[n & 0xfff]!;
    }
    if (i === whole && i < length && i - lineStart < BASE64_LINE_BYTES) {
      // One or two bytes left, on this line if it has room: the last group, padded with '='.
      const a = input[i]!;
      const b = i + 1 < length ? input[i + 1]! : 0;
      let o = w * 2;
      out[o++] = BASE64_ALPHABET.charCodeAt(a >> 2);
      out[o++] = BASE64_ALPHABET.charCodeAt(((a & 3) << 4) | (b >> 4));
      out[o++] = i + 1 < length ? BASE64_ALPHABET.charCodeAt((b & 15) << 2) : 0x3d;
      out[o++] = 0x3d;
      return o;
    }
  }
  return w * 2;
}

/**
 * One attachment as its complete MIME part: nodemailer's own header block (filename and type
 * encoded as it encodes them), then the file base64-encoded in 76-character lines, read and written
 * through reused buffers. nodemailer's encoder allocates three buffers per chunk it encodes; V8 frees
 * them only at its next collection, so composing a 100 MB attachment kept 10-15 MB of dead buffers
 * in the process at a time. Output chunks cycle through a ring like the send's (see SEND_BUFFERS).
 */
async function* attachmentPart(
  path: string,
  filename: string,
  contentType: string,
  rings: Buffer[],
): AsyncGenerator<Buffer> {
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
    const ring: Buffer[] = [];
    const outBytes = (blockBytes / BASE64_LINE_BYTES) * BASE64_LINE_OUT_BYTES;
    let position = 0;
    for (let slot = 0; ; slot = (slot + 1) % ATTACHMENT_BUFFERS) {
      let filled = 0;
      while (filled < input.length) {
        const bytesRead = await readAt(handle, input, filled, input.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) return;
      // Lines are separated, not terminated: the part's last line ends where the content does.
      // A large file's blocks fit the send's buffer size, so the send after it can reuse them.
      let out = ring[slot];
      if (!out) {
        out = ring[slot] =
          outBytes > SEND_CHUNK_BYTES / 2 ? ringBuffer(SEND_CHUNK_BYTES) : Buffer.allocUnsafeSlow(outBytes);
        rings.push(out);
      }
      const written = encodeBase64Lines(input, filled, out, position === 0);
      position += filled;
      yield out.subarray(0, written);
      if (filled < input.length) return;
    }
  } finally {
    await handle.close();
  }
}
