import { seededRandom } from "@tessera/prims";

/** One course of a wall: its height and where its vertical joints are, px from the left edge (the last block wraps round to the first). */
export interface Course {
  height: number;
  joints: readonly number[];
}

/**
 * How blocks are laid in a wall that tiles: courses from the top of the texture down, each with its
 * joints. {@link locate} finds the block under a pixel and how far the pixel is from each of its four
 * edges (the middle of each joint), answered in the fields, so that the sweep over the pixels makes
 * no garbage.
 */
export class Bond {
  /** Block under the last located pixel: a number unique in the wall. */
  block = 0;
  /** Course of that block, from 0 at the top. */
  course = 0;
  /** Distances (px) from the last located pixel to the middle of its block's left, right, top and bottom joints. */
  left = 0;
  right = 0;
  top = 0;
  bottom = 0;
  /** How many blocks the wall has: they are numbered from 0. */
  readonly blocks: number;
  private readonly courseOf: Int32Array;
  private readonly courseTop: Float64Array;
  private readonly courseHeight: Float64Array;
  /** For each course and column: the block's number and its left and right joints, px (unwrapped). */
  private readonly blockOf: Int32Array;
  private readonly leftOf: Float64Array;
  private readonly rightOf: Float64Array;

  constructor(
    readonly size: number,
    courses: readonly Course[],
  ) {
    this.courseOf = new Int32Array(size);
    this.courseTop = new Float64Array(courses.length);
    this.courseHeight = new Float64Array(courses.length);
    this.blockOf = new Int32Array(courses.length * size);
    this.leftOf = new Float64Array(courses.length * size);
    this.rightOf = new Float64Array(courses.length * size);
    let top = 0;
    let block = 0;
    courses.forEach((course, c) => {
      this.courseTop[c] = top;
      this.courseHeight[c] = course.height;
      top += course.height;
      const joints = [...course.joints].sort((a, b) => a - b);
      for (let x = 0; x < size; x++) {
        let k = joints.findIndex((joint) => joint > x);
        if (k < 0) k = joints.length;
        // Between joint k - 1 and joint k; before the first or after the last: the block that wraps.
        const left = k > 0 ? joints[k - 1]! : joints.at(-1)! - size;
        const right = k < joints.length ? joints[k]! : joints[0]! + size;
        this.blockOf[c * size + x] = block + (k % joints.length);
        this.leftOf[c * size + x] = left;
        this.rightOf[c * size + x] = right;
      }
      block += joints.length;
    });
    this.blocks = block;
    // A row belongs to the course its pixels' centres are in.
    for (let y = 0, c = 0; y < size; y++) {
      while (c + 1 < courses.length && this.courseTop[c + 1]! <= y + 0.5) c++;
      this.courseOf[y] = c;
    }
  }

  /** Finds the block under pixel (x, y), whole numbers within the texture; see the fields. */
  locate(x: number, y: number): void {
    const c = this.courseOf[y]!;
    const k = c * this.size + x;
    const px = x + 0.5;
    const py = y + 0.5;
    this.course = c;
    this.block = this.blockOf[k]!;
    this.left = px - this.leftOf[k]!;
    this.right = this.rightOf[k]! - px;
    this.top = py - this.courseTop[c]!;
    this.bottom = this.courseTop[c]! + this.courseHeight[c]! - py;
  }

  /** Distance from the last located pixel to the nearest joint. */
  get edge(): number {
    return Math.min(this.left, this.right, this.top, this.bottom);
  }
}

/** Running bond: `courses` courses of `across` equal blocks, each course shifted half a block from the one above. */
export function runningBond(size: number, courses: number, across: number): Bond {
  const width = size / across;
  return new Bond(
    size,
    Array.from({ length: courses }, (_, c) => ({
      height: size / courses,
      joints: Array.from({ length: across }, (_, k) => k * width + (c % 2) * width * 0.5),
    })),
  );
}

/**
 * Random ashlar: `courses` courses of heights varying by ±`spread`, each of blocks about
 * `blockWidth` px long, varying as much, its joints starting anywhere.
 */
export function randomBond(size: number, seed: number, courses: number, blockWidth: number, spread: number): Bond {
  const random = seededRandom(seed);
  const vary = () => 1 + (random() * 2 - 1) * spread;
  const heights = Array.from({ length: courses }, vary);
  const total = heights.reduce((sum, height) => sum + height, 0);
  return new Bond(
    size,
    heights.map((height) => {
      const widths = Array.from({ length: Math.max(1, Math.round(size / blockWidth)) }, vary);
      const length = widths.reduce((sum, width) => sum + width, 0);
      const start = random() * size;
      let x = 0;
      return {
        height: (height * size) / total,
        joints: widths.map((width) => {
          const joint = (start + x) % size;
          x += (width * size) / length;
          return joint;
        }),
      };
    }),
  );
}
