import { LIBRARY, LIBRARY_SIZE, type LibraryTexture } from "@tessera/textures";
import type { WorldStore } from "@tessera/store";
import type { Logger } from "../log.ts";
import { paintLibraryTexture } from "./library-painter.ts";
import { makeTiers } from "./texture-tiers.ts";

/**
 * The default library's textures, made and stored on their first request rather than when the relay
 * starts (which then costs nothing). Each is made once per relay at a time (later requests wait for
 * the first); relays sharing a store may both make one, and store the same content once.
 */
export class LibraryTextures {
  private readonly making = new Map<string, Promise<boolean>>();
  private readonly store: WorldStore;
  private readonly log: Logger;
  private readonly paint: (name: string) => Promise<Uint8Array>;

  /** `paint` draws a library texture's pixels (by default in a child process). */
  constructor(store: WorldStore, log: Logger, paint: (name: string) => Promise<Uint8Array> = paintLibraryTexture) {
    this.store = store;
    this.log = log;
    this.paint = paint;
  }

  /** Makes and stores library texture `id` unless it is stored; whether `id` is in the library and stored now. */
  provide(id: string): Promise<boolean> {
    const entry = LIBRARY.find((texture) => texture.id === id);
    if (!entry) return Promise.resolve(false);
    let pending = this.making.get(id);
    if (!pending) {
      pending = this.make(entry).finally(() => this.making.delete(id));
      this.making.set(id, pending);
    }
    return pending;
  }

  private async make(entry: LibraryTexture): Promise<boolean> {
    if (await this.store.hasTexture(entry.id)) return true;
    const made = await makeTiers({ width: LIBRARY_SIZE, height: LIBRARY_SIZE, rgba: await this.paint(entry.name) });
    if (made.id !== entry.id) {
      this.log.error(`library texture ${entry.name}: its pixels hash to ${made.id}, not to its id ${entry.id}; not stored. The LIBRARY table is stale: update its ids.`);
      return false;
    }
    await this.store.putTexture({ id: made.id, width: made.width, height: made.height }, made.tiers);
    this.log.info(`made library texture ${entry.name} (${entry.id}) and stored its tiers`);
    return true;
  }
}
