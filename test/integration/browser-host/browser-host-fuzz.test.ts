import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../../e2e/support/browser-host-process';
import { MAX_FRAME_BYTES } from '../../../electron/browser-host/browser-host-server';
import { call, connect, hostAddress, type HostAddress } from './support/host-client';

// The browser host is a real process here: a crash is the process exiting, which no in-process test
// would see. Every input below once killed it, or is of a kind that could.

let dir: string;
let host: HostProcess;
let address: HostAddress;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailroom-host-fuzz-'));
  mkdirSync(join(dir, 'picker'));
  writeFileSync(join(dir, 'picker', 'chosen.txt'), 'what the picker offers\n');
  host = await startHostProcess(join(dir, 'profile'), {}, ['--attach-picker-dir', join(dir, 'picker')]);
  address = hostAddress(host.url);
});
afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A small seeded generator, so a failing run can be repeated with its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { int, bytes, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}
type Rng = ReturnType<typeof generator>;

interface FrameSpec {
  opcode: number;
  payload: Buffer;
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
  /** Claimed payload length, when it should differ from the payload's (oversized frames). */
  claimedLength?: bigint;
}

function frame({ opcode, payload, fin = true, rsv = 0, masked = true, claimedLength }: FrameSpec): Buffer {
  const length = claimedLength ?? BigInt(payload.length);
  const head = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  const key = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), extended, key, body]);
}

const text = (s: string) => Buffer.from(s, 'utf8');

/** One frame (or a few) that breaks the protocol, the encoding or the request format. */
function badFrames(rng: Rng): Buffer {
  const kind = rng.int(11);
  switch (kind) {
    case 0: // random bytes where a frame should be
      return rng.bytes(1 + rng.int(64));
    case 1: // a length far over the limit (the host must not wait for, or allocate, it)
      return frame({
        opcode: 1,
        payload: Buffer.alloc(0),
        claimedLength: BigInt(MAX_FRAME_BYTES) + 1n + BigInt(rng.int(1e9)),
      });
    case 2: // an impossible 64-bit length (top bit set)
      return frame({
        opcode: 2,
        payload: Buffer.alloc(0),
        claimedLength: 0x8000000000000000n + BigInt(rng.int(1000)),
      });
    case 3: // a reserved opcode
      return frame({
        opcode: rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]),
        payload: rng.bytes(rng.int(20)),
      });
    case 4: // an unmasked client frame
      return frame({
        opcode: 1,
        payload: text('{"id":1,"channel":"getAppState","payload":{}}'),
        masked: false,
      });
    case 5: // invalid UTF-8 in a text frame
      return frame({
        opcode: 1,
        payload: Buffer.concat([
          text('{"id":1,"channel":"'),
          rng.pick([
            Buffer.from([0xff]),
            Buffer.from([0xc3, 0x28]),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
          ]),
          text('"}'),
        ]),
      });
    case 6: // reserved bits without an extension that defines them
      return frame({ opcode: 1, payload: text('{}'), rsv: 1 + rng.int(7) });
    case 7: // a control frame that is fragmented or too long
      return rng.int(2)
        ? frame({ opcode: 9, payload: rng.bytes(126 + rng.int(100)) })
        : frame({ opcode: 8 + rng.int(3), payload: rng.bytes(4), fin: false });
    case 8: // a continuation with nothing to continue, or a new message inside a fragmented one
      return rng.int(2)
        ? frame({ opcode: 0, payload: rng.bytes(8) })
        : Buffer.concat([
            frame({ opcode: 1, payload: text('{"id":'), fin: false }),
            frame({ opcode: 1, payload: text('1}') }),
          ]);
    case 9: // well-formed frames that are not requests
      return frame({
        opcode: rng.pick([1, 2]),
        payload: rng.pick([
          text('not json'),
          text('{"id":"x"}'),
          text('[]'),
          text('{"id":1,"channel":"nope","payload":null}'),
          text('{"id":1.5,"channel":"getAppState"}'),
          rng.bytes(rng.int(200)),
        ]),
      });
    default: // a close frame with an invalid code or a truncated frame header
      return rng.int(2)
        ? frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7 + rng.int(10)]) })
        : frame({ opcode: 1, payload: text('{}') }).subarray(0, 1 + rng.int(3));
  }
}

const UPGRADE_TARGETS = [
  '//',
  '//[',
  'http://%',
  '//:99999',
  'http://[::1',
  '/%',
  '\\\\',
  '//@',
  'http://a b/',
];

/** A handshake that should be refused: a target new URL() cannot parse, or no token. */
function badHandshake(rng: Rng): string {
  const target = rng.int(3) ? rng.pick(UPGRADE_TARGETS) : `/${rng.bytes(8).toString('latin1')}`;
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${address.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${address.origin}\r\n\r\n`
  );
}

const goodHandshake = () =>
  `GET /__mailroom/ws?token=${address.token} HTTP/1.1\r\nHost: 127.0.0.1:${address.port}\r\nUpgrade: websocket\r\n` +
  `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
  `Origin: ${address.origin}\r\n\r\n`;

/** Opens a raw TCP connection, sends `first`, optionally waits for the 101, sends `then`, waits for the end. */
function exchange(first: Buffer | string, then?: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = tcpConnect(address.port, '127.0.0.1');
    let received = '';
    let sentRest = then === undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(finish, 300);
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('data', (chunk) => {
      if (sentRest) return;
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) {
        sentRest = true;
        if (received.startsWith('HTTP/1.1 101')) socket.write(then!);
        else finish();
      }
    });
    socket.write(first);
  });
}

async function fuzzCase(rng: Rng): Promise<void> {
  const kind = rng.int(4);
  if (kind === 0) return exchange(rng.bytes(1 + rng.int(300))); // before auth: not even HTTP
  if (kind === 1) return exchange(badHandshake(rng)); // before auth: a target that once threw
  return exchange(goodHandshake(), badFrames(rng)); // after auth: frames that break the protocol
}

describe('the browser host never dies on input', () => {
  it('survives 10,000 fuzzed frames and handshakes, before and after authentication, and still answers', async () => {
    const seed = Number(process.env['MAILROOM_FUZZ_SEED'] ?? Date.now() % 1e9);
    const rng = generator(seed);
    const total = 10_000;
    let done = 0;
    const worker = async () => {
      while (done < total) {
        done++;
        await fuzzCase(rng);
        if (host.child.exitCode !== null) throw new Error(`host died (seed ${seed}):\n${host.output()}`);
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    expect(host.child.exitCode, `seed ${seed}`).toBeNull();
    const ws = await connect(address);
    expect(await call(ws, 'getAppState', {})).toMatchObject({ ok: true });
    ws.close();
  }, 90_000);

  it('takes the largest request the contract allows (a saveDraft of about 72 MB)', async () => {
    const ws = await connect(address);
    const created = (await call(ws, 'createDraft', {})) as { ok: boolean; value: { id: string } };
    // Control characters: 6 bytes each once JSON-escaped, the worst case for the frame's size.
    const body = '\u0001'.repeat(5_000_000);
    const recipient = { name: '\u0001'.repeat(998), address: '\u0001'.repeat(320) };
    const content = {
      subject: '\u0001'.repeat(998),
      mode: 'plain',
      html: body,
      text: body,
      to: Array(500).fill(recipient),
      cc: Array(500).fill(recipient),
      bcc: Array(500).fill(recipient),
    };
    const size = Buffer.byteLength(
      JSON.stringify({ id: 1, channel: 'saveDraft', payload: { id: created.value.id, content } }),
    );
    expect(size).toBeGreaterThan(70_000_000);
    expect(size).toBeLessThan(MAX_FRAME_BYTES);
    expect(await call(ws, 'saveDraft', { id: created.value.id, content })).toMatchObject({ ok: true });
    ws.close();
  }, 60_000);

  it('closes only the connection that sends a frame over the limit', async () => {
    const ws = await connect(address);
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.on('error', () => undefined);
    ws.send(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20));
    expect(await closed).toBe(1009);
    const again = await connect(address);
    expect(await call(again, 'getAppState', {})).toMatchObject({ ok: true });
    again.close();
  }, 60_000);

  it('never attaches a path a page names: a drop in the browser opens the host picker', async () => {
    const ws = await connect(address);
    const created = (await call(ws, 'createDraft', {})) as { ok: boolean; value: { id: string } };
    const draftId = created.value.id;
    expect(await call(ws, 'addDraftAttachments', { draftId, paths: ['/etc/passwd'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    const dropped = await call(ws, 'attachDroppedFiles', { draftId, paths: ['/etc/passwd'] });
    expect(dropped).toMatchObject({ ok: true, value: { cancelled: false } });
    const draft = (await call(ws, 'getDraft', { id: draftId })) as {
      value: { attachments: { path: string }[] };
    };
    expect(draft.value.attachments.map((a) => a.path)).toEqual([join(dir, 'picker', 'chosen.txt')]);
    ws.close();
  });
});
