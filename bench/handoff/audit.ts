import type { AvatarsResponse } from "@tessera/protocol";

/**
 * Checks, read after read of every relay's `GET /api/avatars`, that each avatar is held by exactly
 * one tile room. The first relay is read again last: an avatar it held, moving, at both ends was held
 * by it all along, so another relay holding it moving in between means two authorities at once. An
 * avatar in no read at all is lost (one being handed over stays in the old room, frozen, until the
 * new one holds it).
 */
export class AuthorityAudit {
  samples = 0;
  lost = 0;
  duplicated = 0;
  private readonly urls: readonly string[];

  constructor(urls: readonly string[]) {
    this.urls = urls;
  }

  async sample(ids: readonly string[]): Promise<void> {
    const reads: AvatarsResponse[] = [];
    for (const url of [...this.urls, ...(this.urls.length > 1 ? [this.urls[0]!] : [])]) {
      reads.push((await (await fetch(`${url}/api/avatars`)).json()) as AvatarsResponse);
    }
    this.samples++;
    for (const id of ids) {
      const held = reads.map((read) => read.avatars.filter((avatar) => avatar.id === id));
      const moving = held.map((list) => list.some((avatar) => !avatar.frozen));
      if (held.every((list) => list.length === 0)) this.lost++;
      const twoInOneRead = held.some((list) => list.length > 1);
      const acrossRelays = reads.length > 1 && moving[0]! && moving.at(-1)! && moving.slice(1, -1).some(Boolean);
      if (twoInOneRead || acrossRelays) this.duplicated++;
    }
  }
}
