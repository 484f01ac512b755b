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
