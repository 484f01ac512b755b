/**
 * At most `atOnce` holders at a time; the others wait their turn, first come first served. A turn
 * passes straight to the next in line when it is given back.
 */
export class Turns {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly atOnce: number) {}

  /** Waits for a turn; call the returned function once to give it back. */
  async take(): Promise<() => void> {
    if (this.holders < this.atOnce) this.holders++;
    else await new Promise<void>((start) => this.waiting.push(start));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.holders--;
    };
  }
}

/**
 * Work that takes turns per key: each run for a key starts once the one before it for that key has
 * settled (whatever it answered), runs for other keys go on at once. A key is forgotten once its last
 * run has settled.
 */
export class TurnsByKey {
  /** Per key, its last run once settled: a promise that never rejects. */
  private readonly last = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.last.get(key) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.last.set(key, settled);
    void settled.then(() => {
      if (this.last.get(key) === settled) this.last.delete(key);
    });
    return next;
  }
}
