/** Hands out the small per-room numbers that key entities in snapshots (u16, 0 never used). */
export class NetIds {
  private next = 1;
  private readonly free: number[] = [];

  take(): number {
    const id = this.free.pop() ?? this.next++;
    if (id > 0xffff) throw new RangeError("a tile room holds at most 65535 entities");
    return id;
  }

  give(id: number): void {
    this.free.push(id);
  }
}
