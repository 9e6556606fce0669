import type { TierReply, TierRequest } from "./texture.worker.ts";

/** A tier fetched and decoded: its mipmap levels (0: the tier) and the bytes its response carried. */
export interface FetchedTier {
  levels: ImageBitmap[];
  bytes: number;
}

/**
 * Fetches texture tiers and decodes them into ImageBitmaps in Web Workers, so that neither the
 * download nor the decoding of an image ever stalls a frame.
 */
export class TierFetcher {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (tier: FetchedTier) => void; reject: (error: Error) => void }>();
  private nextKey = 0;

  constructor(workers = Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1))) {
    this.workers = Array.from({ length: workers }, () => {
      const worker = new Worker(new URL("./texture.worker.ts", import.meta.url), { type: "module", name: "texture-tiers" });
      worker.onmessage = (event: MessageEvent<TierReply>) => {
        const reply = event.data;
        const waiter = this.pending.get(reply.key);
        this.pending.delete(reply.key);
        if ("error" in reply) waiter?.reject(new Error(reply.error));
        else if (waiter) waiter.resolve(reply);
        else for (const level of reply.levels) level.close();
      };
      return worker;
    });
  }

  fetch(url: string): Promise<FetchedTier> {
    const key = this.nextKey++;
    return new Promise((resolve, reject) => {
      this.pending.set(key, { resolve, reject });
      const request: TierRequest = { key, url };
      this.workers[key % this.workers.length]!.postMessage(request);
    });
  }

  dispose(): void {
    for (const worker of this.workers) worker.terminate();
    for (const waiter of this.pending.values()) waiter.reject(new Error("the texture fetcher was disposed"));
    this.pending.clear();
  }
}
