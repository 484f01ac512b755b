import type * as AddressParser from 'smtp-address-parser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkEmailAddress } from '../../../shared/domain/email-address';

// The grammar is the costly part of a send before its files are written, and one message asks about
// the same addresses several times: each address is parsed once, and the answers kept are bounded.

const grammar = vi.hoisted(() => ({ calls: 0 }));
vi.mock('smtp-address-parser', async (original) => {
  const real = await original<typeof AddressParser>();
  // Counts the grammar's runs; the real parser still decides.
  return {
    ...real,
    parse: (address: string) => {
      grammar.calls++;
      return real.parse(address);
    },
  };
});

beforeEach(() => {
  grammar.calls = 0;
});

describe('checkEmailAddress answers', () => {
  it('parses an address once, however often it is asked, and answers the same each time', () => {
    const first = checkEmailAddress('ada@example.org');
    for (let i = 0; i < 5; i++) expect(checkEmailAddress('ada@example.org')).toBe(first);
    expect(grammar.calls).toBe(1);
    expect(first).toMatchObject({ ok: true, value: { wire: 'ada@example.org' } });
  });

  it('keeps refusals too, word for word', () => {
    const first = checkEmailAddress('bob@exa mple.org');
    expect(first.ok).toBe(false);
    expect(checkEmailAddress('bob@exa mple.org')).toEqual(first);
    expect(grammar.calls).toBe(1);
  });

  it('hands out answers nobody can change for the next caller', () => {
    const answer = checkEmailAddress('cy@example.org');
    if (!answer.ok) throw new Error(answer.message);
    expect(() => {
      (answer.value as { wire: string }).wire = 'eve@example.org';
    }).toThrow(TypeError);
    expect(checkEmailAddress('cy@example.org')).toMatchObject({ value: { wire: 'cy@example.org' } });
  });

  it('keeps a bounded number of answers: the least recently asked is parsed again', () => {
    checkEmailAddress('old@example.org');
    checkEmailAddress('kept@example.org');
    for (let i = 0; i < 5000; i++) {
      checkEmailAddress(`row${i}@example.org`);
      // Asked throughout, so it stays while the others push out the oldest.
      if (i % 1000 === 0) checkEmailAddress('kept@example.org');
    }
    grammar.calls = 0;
    checkEmailAddress('kept@example.org');
    expect(grammar.calls).toBe(0);
    checkEmailAddress('old@example.org');
    expect(grammar.calls).toBe(1);
  });
});
