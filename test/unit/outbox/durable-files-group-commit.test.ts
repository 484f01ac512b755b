import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  directorySyncs,
  streamToFileDurably,
  syncDirectory,
  TEMP_PREFIX,
  writeFileDurably,
} from '../../../electron/core/files/durable-files';

// Group commit: writers in one directory share its fsync, and each one is told "done" only once its
// own file is fsynced, renamed, and covered by a directory fsync that began after its rename.

const root = mkdtempSync(join(tmpdir(), 'mailroom-group-commit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const freshDir = (): string => mkdtempSync(join(root, 'dir-'));

function failingSource(): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from('From: a@example.test\r\n');
      throw new Error('the attachment went away while the message was being written');
    })(),
  );
}

describe('durable writes with group commit', () => {
  it('stores every one of many concurrent writes, complete and readable, sharing directory fsyncs', async () => {
    const dir = freshDir();
    const before = directorySyncs();
    const entries = Array.from({ length: 40 }, (_, i) => ({
      path: join(dir, `entry-${i}.json`),
      text: `${JSON.stringify({ id: i, state: 'queued', filler: 'x'.repeat(i * 50) })}\n`,
    }));
    const messages = Array.from({ length: 10 }, (_, i) => ({
      path: join(dir, `message-${i}.eml`),
      // Many small chunks, as MailComposer produces them, and more than one write's worth.
      chunks: Array.from({ length: 2_000 }, (_, line) => Buffer.from(`line ${line} of message ${i}\r\n`)),
    }));
    const sizes = await Promise.all([
      ...entries.map((e) => writeFileDurably(e.path, e.text).then(() => -1)),
      ...messages.map((m) => streamToFileDurably(Readable.from(m.chunks), m.path)),
    ]);
    for (const e of entries) expect(readFileSync(e.path, 'utf8')).toBe(e.text);
    messages.forEach((m, i) => {
      const expected = Buffer.concat(m.chunks);
      expect(readFileSync(m.path).equals(expected)).toBe(true);
      expect(sizes[entries.length + i]).toBe(expected.length);
    });
    expect(readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
    // 50 writers, far fewer directory fsyncs: they shared them (one each would be 50).
    const used = directorySyncs() - before;
    expect(used).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThan(50);
  });

  it('rejects only the writer whose write failed; the others in the same batch are stored', async () => {
    const dir = freshDir();
    const results = await Promise.allSettled([
      writeFileDurably(join(dir, 'a.json'), 'a\n'),
      streamToFileDurably(failingSource(), join(dir, 'broken.eml')),
      writeFileDurably(join(dir, 'b.json'), 'b\n'),
      streamToFileDurably(Readable.from([Buffer.from('whole message\r\n')]), join(dir, 'ok.eml')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json', 'ok.eml']);
    expect(readFileSync(join(dir, 'ok.eml'), 'utf8')).toBe('whole message\r\n');
  });

  it('never lets a writer share a directory fsync that had already started before it arrived', async () => {
    const dir = freshDir();
    const before = directorySyncs();
    const first = syncDirectory(dir);
    // One turn of the event loop: the first fsync has started (its batch is closed).
    await new Promise((resolve) => setImmediate(resolve));
    const second = syncDirectory(dir);
    await Promise.all([first, second]);
    expect(directorySyncs() - before).toBe(2);
  });

  it('a directory that cannot be synced fails its own callers, not writers elsewhere', async () => {
    const dir = freshDir();
    const results = await Promise.allSettled([
      syncDirectory(join(root, 'does-not-exist')),
      writeFileDurably(join(dir, 'fine.json'), 'fine\n'),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'ENOENT' } });
    expect(results[1].status).toBe('fulfilled');
    expect(readFileSync(join(dir, 'fine.json'), 'utf8')).toBe('fine\n');
  });
});
