/**
 * Work that may run only so many at a time (decoding uploads; child processes painting library
 * textures and compressing tiers); the rest wait their turn, first come first served. The queue needs
 * no bound of its own: what waits is an upload whose body the HTTP edge admitted within its budget of
 * body bytes in flight, one of the library's dozen textures, or the one tier being compressed (the
 * others wait in compressed-forms.ts's bounded queue).
 */
export class WorkSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  /** Runs `work` once a slot is free, and frees it when `work` settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
