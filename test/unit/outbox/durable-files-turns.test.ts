import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { streamToFileDurably } from '../../../electron/core/files/durable-files';

// Composed messages handed over all at once are written a few at a time, in order: the first are on
// disk (and can be sent) while the later ones wait, instead of all finishing together at the end.

const dir = mkdtempSync(join(tmpdir(), 'mailroom-turns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streamed durable writes handed over at once', () => {
  it('take turns: the first are stored before the last one is read at all, and every one is whole', async () => {
    const events: string[] = [];
    const count = 40;
    const writes = Array.from({ length: count }, (_, i) => {
      let started = false;
      const chunks = Array.from({ length: 4 }, (_, c) => Buffer.from(`message ${i} part ${c}\r\n`));
      const source = new Readable({
        read() {
          if (!started) events.push(`read ${i}`);
          started = true;
          this.push(chunks.shift() ?? null);
        },
      });
      return streamToFileDurably(source, join(dir, `${i}.eml`)).then((size) => {
        events.push(`stored ${i}`);
        return size;
      });
    });
    const sizes = await Promise.all(writes);
    expect(events.indexOf('stored 0')).toBeLessThan(events.indexOf(`read ${count - 1}`));
    for (let i = 0; i < count; i++) {
      const text = readFileSync(join(dir, `${i}.eml`), 'utf8');
      expect(text).toBe([0, 1, 2, 3].map((c) => `message ${i} part ${c}\r\n`).join(''));
      expect(sizes[i]).toBe(text.length);
    }
  });
});
