import { describe, expect, it } from 'vitest';
import { TurnsByKey } from '../../../electron/core/turns';

// Changes to one draft, one merge job or one Send take turns: each starts once the one before it for
// the same key has settled, even when that one failed; other keys are not held up.

/** A promise with its resolve and reject at hand. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { promise, open, fail };
}

describe('turns by key', () => {
  it('runs one key’s work in order, after a failure too, while another key goes on at once', async () => {
    const turns = new TurnsByKey();
    const log: string[] = [];
    const first = gate();
    const a1 = turns.run('a', async () => {
      log.push('a1 start');
      await first.promise;
      log.push('a1 end');
      throw new Error('a1 failed');
    });
    const a2 = turns.run('a', async () => {
      log.push('a2 start');
      return 'a2';
    });
    const b1 = turns.run('b', async () => {
      log.push('b1 start');
      return 'b1';
    });
    expect(await b1).toBe('b1');
    expect(log).toEqual(['a1 start', 'b1 start']);
    first.open();
    await expect(a1).rejects.toThrow('a1 failed');
    expect(await a2).toBe('a2');
    expect(log).toEqual(['a1 start', 'b1 start', 'a1 end', 'a2 start']);
  });
});
