import { makePrim, presetShape, type Prim } from "@tessera/prims";
import type { EditRecord } from "@tessera/store";

/** The tile the store benchmark writes in: the spawn tile, x and z in [128, 192). */
export const BENCH_TILE = "tile_2_2";
const TILE_MIN = 128;
const TILE_SIZE = 64;
/** Prims each writer owns and edits in turn. */
export const PRIMS_PER_WRITER = 16;

/**
 * One writer's edits as a relay would hand them to the store: each edit one prim (created, the first
 * time round, then moved) and so one edit_log row. Ids come from the store, as the relay's do.
 */
export class WriterEdits {
  private readonly player: string;
  private readonly firstId: number;
  private readonly prims: (Prim | undefined)[] = [];
  private count = 0;

  /** `firstId` is the first of {@link PRIMS_PER_WRITER} ids the store gave this writer. */
  constructor(writer: number, firstId: number) {
    this.player = `bench-writer-${writer}`;
    this.firstId = firstId;
  }

  /** The next edit: the writer's next prim created or moved a little (positions on the 1 mm grid). */
  next(): EditRecord {
    const n = this.count++;
    const slot = n % PRIMS_PER_WRITER;
    const before = this.prims[slot];
    const step = Math.floor(n / PRIMS_PER_WRITER);
    const position = {
      x: TILE_MIN + ((this.firstId + slot) % TILE_SIZE),
      y: 1 + (step % 1000) / 1000,
      z: TILE_MIN + (Math.floor((this.firstId + slot) / TILE_SIZE) % TILE_SIZE),
    };
    const prim = before ? { ...before, position } : makePrim(this.firstId + slot, presetShape("box"), position, { owner: this.player });
    this.prims[slot] = prim;
    return { player: this.player, clientEditId: n + 1, tile: BENCH_TILE, put: [{ tile: BENCH_TILE, prim }], deleted: [] };
  }
}
