import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../../electron/cli/output/json-output';

// writeJson prints a document's large arrays in parts (a reader on a pipe reads one part while the
// next is made); what it prints must be exactly JSON.stringify(document, null, 2) and a newline.

function written(document: unknown): { text: string; writes: number } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  writeJson(stream, document);
  return { text: chunks.join(''), writes: chunks.length };
}

const entry = (i: number) => ({
  id: `id-${i}`,
  state: i % 3 ? 'sent' : 'queued',
  to: [`rcpt${i}@example.test`, 'ünïcode@example.test'],
  cc: [],
  lastError: i % 7 ? undefined : { code: 'X', message: 'quote " and \\ and \n newline', hint: undefined },
  recipients: [{ address: `rcpt${i}@example.test`, accepted: true, nested: { deeper: [1, [2, []]] } }],
  size: i * 1.5,
});

describe('writeJson', () => {
  it('prints exactly what JSON.stringify(document, null, 2) prints, for arrays of any length', () => {
    for (const length of [0, 1, 2, 499, 500, 501, 1000, 1234]) {
      const document = {
        ok: true,
        pending: length,
        entries: Array.from({ length }, (_, i) => entry(i)),
        sent: Array.from({ length: length % 7 }, (_, i) => entry(i)),
        gone: undefined,
        fn: () => 1,
        holes: [undefined, null, 1],
        nested: { a: [], b: {}, c: 'x' },
        jobs: [],
      };
      expect(written(document).text).toBe(`${JSON.stringify(document, null, 2)}\n`);
    }
  });

  it('prints any other document as JSON.stringify does', () => {
    const when = new Date('2026-12-01T10:00:00.000Z');
    const withToJson = { toJSON: () => ({ replaced: true }) };
    for (const document of [{}, [], [1, { a: [2] }], 'text', 3, null, { when }, withToJson, { inner: withToJson }]) {
      expect(written(document).text).toBe(`${JSON.stringify(document, null, 2)}\n`);
    }
  });

  it('writes a large array in parts of a few hundred elements', () => {
    const document = { ok: true, entries: Array.from({ length: 10_000 }, (_, i) => entry(i)) };
    expect(written(document).writes).toBeGreaterThanOrEqual(20);
    expect(written({ ok: true, entries: [entry(1)] }).writes).toBe(2);
  });
});
