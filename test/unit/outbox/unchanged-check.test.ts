import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoredEntrySchema, type StoredEntry } from '../../../electron/core/outbox/outbox-store';
import { unchangedCheck } from '../../../electron/core/outbox/unchanged-check';

// The quick check outbox loading trusts instead of a zod parse must never say yes where zod would
// refuse, fill in or strip something: for an entry as the outbox writes it and every small damage
// to any of its fields, "yes" means zod parses it to exactly the same value.

const entry: StoredEntry = {
  version: 1,
  id: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  accountId: 'acc-1',
  identityId: 'ident-1',
  messageId: '<m1@example.test>',
  state: 'failed',
  from: 'Ada <ada@example.test>',
  to: ['bob@example.test'],
  cc: ['carol@example.test'],
  bcc: [],
  displayNames: { 'bob@example.test': 'Bob' },
  subject: 'Notes',
  size: 1234,
  sha256: 'ab'.repeat(32),
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:05:00.000Z',
  nextAttemptAt: '2026-12-01T10:10:00.000Z',
  attempts: 2,
  lastAttemptAt: '2026-12-01T10:05:00.000Z',
  lastError: { code: 'RECIPIENT_REJECTED', message: 'The server said no.', hint: 'Check the address.' },
  resumedAfterCrash: true,
  recipients: [{ address: 'bob@example.test', accepted: false, reply: '550 no such user' }],
  hasMessageFile: true,
  merge: { jobId: 'merge-0123456789abcdef', row: 3 },
  envelope: { from: 'ada@example.test', to: ['bob@example.test', 'carol@example.test'] },
  draft: {
    accountId: 'acc-1',
    to: ['bob@example.test'],
    cc: ['carol@example.test'],
    bcc: [],
    subject: 'Notes',
    text: '',
    attachments: [{ path: '/tmp/a.txt', filename: 'a.txt' }],
  },
  queuedSince: '2026-12-01T10:00:00.000Z',
  draftFile: true,
} as StoredEntry;

const odd: unknown[] = [undefined, null, -1, 1.5, 0, '', 'x', true, [], {}, ['x'], { x: 1 }];

/** Every value reached by changing one field of `value` (anywhere inside) to one of `odd`. */
function* damaged(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      for (const m of [...odd, ...damaged(value[i])]) yield value.map((v, j) => (j === i ? m : v));
    yield [...value, 'extra'];
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      for (const m of [...odd, ...damaged((value as Record<string, unknown>)[key])]) {
        const copy: Record<string, unknown> = { ...value };
        if (m === undefined) delete copy[key];
        else copy[key] = m;
        yield copy;
      }
    }
    yield { ...value, unknownKey: 1 };
  }
}

describe('unchangedCheck', () => {
  const check = unchangedCheck(StoredEntrySchema);

  it('reads the stored entry schema whole', () => {
    expect(check).toBeDefined();
    expect(StoredEntrySchema.parse(entry)).toEqual(entry);
    expect(check!(entry)).toBe(true);
  });

  it('says yes to a damaged entry only when zod returns it unchanged', () => {
    let refused = 0;
    let total = 0;
    for (const candidate of damaged(JSON.parse(JSON.stringify(entry)))) {
      total++;
      const parsed = StoredEntrySchema.safeParse(candidate);
      if (check!(candidate)) {
        expect(parsed.success, JSON.stringify(candidate)).toBe(true);
        expect(isDeepStrictEqual(parsed.data, candidate), JSON.stringify(candidate)).toBe(true);
      } else refused++;
    }
    // Most damage is refused (and then zod decides): the check is not trivially "yes".
    expect(refused).toBeGreaterThan(total / 2);
  });

  it('leaves to zod what it cannot read: refinements and formats through their own schema', () => {
    const schema = z.object({
      name: z.string().refine((s) => !s.includes('\n')),
      code: z.string().regex(/^[a-z]+$/),
      n: z.number().int().min(1).max(9),
      tags: z.array(z.string().max(3)).max(2).default([]),
    });
    const quick = unchangedCheck(schema)!;
    expect(quick({ name: 'ok', code: 'abc', n: 5, tags: ['a'] })).toBe(true);
    expect(quick({ name: 'no\nway', code: 'abc', n: 5, tags: [] })).toBe(false);
    expect(quick({ name: 'ok', code: 'ABC', n: 5, tags: [] })).toBe(false);
    expect(quick({ name: 'ok', code: 'abc', n: 10, tags: [] })).toBe(false);
    expect(quick({ name: 'ok', code: 'abc', n: 0, tags: [] })).toBe(false);
    expect(quick({ name: 'ok', code: 'abc', n: 2.5, tags: [] })).toBe(false);
    expect(quick({ name: 'ok', code: 'abc', n: 5, tags: ['abcd'] })).toBe(false);
    expect(quick({ name: 'ok', code: 'abc', n: 5, tags: ['a', 'b', 'c'] })).toBe(false);
    // A default zod would fill in: not unchanged.
    expect(quick({ name: 'ok', code: 'abc', n: 5 })).toBe(false);
    // A value zod would change (trim) counts only if it is already as zod leaves it.
    const trimmed = unchangedCheck(z.object({ s: z.string().trim() }))!;
    expect(trimmed({ s: 'a' })).toBe(true);
    expect(trimmed({ s: ' a ' })).toBe(false);
    // What it does not read gets no quick check at all: transforms, an object's refine, a record
    // that must hold every key of an enum.
    expect(unchangedCheck(z.object({ s: z.string().transform((s) => s.trim()) }))).toBeUndefined();
    expect(unchangedCheck(z.object({ a: z.number() }).refine((o) => o.a > 1))).toBeUndefined();
    expect(unchangedCheck(z.record(z.enum(['x', 'y']), z.number()))).toBeUndefined();
    expect(unchangedCheck(z.object({ u: z.unknown().default(1) }))!({})).toBe(false);
  });
});
