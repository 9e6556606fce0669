/** Load chunks sent to one client per tick: 60 a second, about 1 MB/s at most. */
const CHUNKS_PER_TICK = 2;

/**
 * Streams a tile's prims to the clients that join it, a few bounded chunks per tick, so that no
 * message is huge and a big tile never holds up the room. A client that has just received its last
 * chunk is "caught up" once: from then on its snapshots carry physical prims, starting with every
 * one's pose, newer than the records it was sent.
 */
export class PrimLoads {
  private readonly queues = new Map<string, { chunks: Uint8Array[]; next: number }>();
  private readonly caughtUp = new Set<string>();

  /** (Re)starts a client's load with these chunks. */
  start(sessionId: string, chunks: Uint8Array[]): void {
    this.queues.set(sessionId, { chunks, next: 0 });
    this.caughtUp.delete(sessionId);
  }

  /** Sends a prims message to a client: at once, or after its load if it is loading (the load is older). */
  send(sessionId: string, bytes: Uint8Array, now: (bytes: Uint8Array) => void): void {
    const queue = this.queues.get(sessionId);
    if (queue) queue.chunks.push(bytes);
    else now(bytes);
  }

  /** Sends each loading client its next chunks. */
  pump(send: (sessionId: string, chunk: Uint8Array) => void): void {
    for (const [sessionId, queue] of this.queues) {
      const end = Math.min(queue.chunks.length, queue.next + CHUNKS_PER_TICK);
      for (; queue.next < end; queue.next++) send(sessionId, queue.chunks[queue.next]!);
      if (queue.next === queue.chunks.length) {
        this.queues.delete(sessionId);
        this.caughtUp.add(sessionId);
      }
    }
  }

  /** Whether the client finished loading since the last call for it (true once). */
  takeCaughtUp(sessionId: string): boolean {
    return this.caughtUp.delete(sessionId);
  }

  forget(sessionId: string): void {
    this.queues.delete(sessionId);
    this.caughtUp.delete(sessionId);
  }
}
