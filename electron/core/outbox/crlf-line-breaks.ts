import { Transform } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;

/**
 * Bytes gathered before they are looked at and passed on. MailComposer emits a message in many small
 * chunks (headers, boundaries, the lines of a text part); an attachment's blocks are larger and pass
 * through as they are.
 */
const GATHER_BYTES = 64 * 1024;

/**
 * `bytes` with every LF that does not follow a CR turned into CRLF (`before`: the byte before the
 * first one, undefined at the start), or `bytes` itself when there is none. This is what nodemailer's
 * newline: 'windows' does to a message (its LeWindows stream), but the LFs are found with indexOf,
 * in native code, where LeWindows looks at every byte in JavaScript: a composed message has CRLF
 * almost everywhere already, and that loop was a twentieth of the CPU queueing a message costs.
 */
export function withCrlfLineBreaks(bytes: Buffer, before: number | undefined): Buffer {
  let bare = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    if ((i === 0 ? before : bytes[i - 1]) !== CR) bare++;
  }
  if (bare === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + bare);
  let from = 0;
  let written = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    if ((i === 0 ? before : bytes[i - 1]) === CR) continue;
    written += bytes.copy(out, written, from, i);
    out[written++] = CR;
    // The LF itself goes out with the next stretch.
    from = i;
  }
  bytes.copy(out, written, from);
  return out;
}

/**
 * A stream that makes every line break CRLF, as RFC 5322 wants them (see withCrlfLineBreaks), the
 * composed message's last stage before it is hashed and stored. Small chunks are copied together
 * and looked at GATHER_BYTES at a time; a chunk that large on its own is passed on by reference, so,
 * like the LeWindows stream it replaces, this holds at most two of an attachment's reused buffers
 * (one passed on and not yet read, one being looked at; see ATTACHMENT_BUFFERS in message-file.ts).
 */
export function crlfLineBreaks(): Transform {
  let gathered: Buffer | undefined;
  let length = 0;
  let last: number | undefined;
  const passOn = (stream: Transform, bytes: Buffer) => {
    if (bytes.length === 0) return;
    stream.push(withCrlfLineBreaks(bytes, last));
    last = bytes[bytes.length - 1];
  };
  const passGathered = (stream: Transform) => {
    if (!gathered || length === 0) return;
    // Handed on: the next bytes go into a new buffer, never into one a later stage may still read.
    passOn(stream, gathered.subarray(0, length));
    gathered = undefined;
    length = 0;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (length + chunk.length > GATHER_BYTES) passGathered(this);
      if (chunk.length >= GATHER_BYTES) passOn(this, chunk);
      else {
        gathered ??= Buffer.allocUnsafe(GATHER_BYTES);
        length += chunk.copy(gathered, length);
      }
      callback();
    },
    flush(callback) {
      passGathered(this);
      callback();
    },
  });
}
