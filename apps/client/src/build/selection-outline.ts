import { BufferAttribute, BufferGeometry, LineBasicMaterial, LineSegments, Vector3, type ColorRepresentation, type Matrix4 } from "three";

/** The 12 edges of the unit box [-0.5, 0.5]^3, a prim's local space, as pairs of corners. */
const EDGES: readonly (readonly [number, number])[] = [
  [0, 1], [1, 3], [3, 2], [2, 0],
  [4, 5], [5, 7], [7, 6], [6, 4],
  [0, 4], [1, 5], [2, 6], [3, 7],
];
const CORNERS = Array.from({ length: 8 }, (_, i) => new Vector3(i & 1 ? 0.5 : -0.5, i & 2 ? 0.5 : -0.5, i & 4 ? 0.5 : -0.5));
/** A little outside the prim, so the outline is not hidden in its faces. */
const MARGIN = 1.02;
const corner = new Vector3();

/**
 * Boxes around selected prims as one line mesh: one draw call however many prims are selected,
 * drawn over the scene so a selection inside a wall still shows. Rewritten only when the selection
 * or one of its prims moves.
 */
export class SelectionOutline {
  readonly object: LineSegments<BufferGeometry, LineBasicMaterial>;
  private capacity = 0;
  /** The matrices last outlined, 16 numbers each. */
  private last = new Float32Array(0);

  constructor(color: ColorRepresentation) {
    this.object = new LineSegments(new BufferGeometry(), new LineBasicMaterial({ color, depthTest: false, transparent: true, opacity: 0.9, toneMapped: false }));
    this.object.frustumCulled = false;
    this.object.renderOrder = 10;
  }

  /** Outlines the prims drawn with these world matrices (scale included); nothing to do when none moved. */
  update(matrices: readonly Matrix4[]): void {
    if (this.same(matrices)) return;
    const vertices = matrices.length * EDGES.length * 2;
    if (vertices > this.capacity) {
      this.capacity = Math.max(vertices, this.capacity * 2, 24);
      this.object.geometry.setAttribute("position", new BufferAttribute(new Float32Array(this.capacity * 3), 3));
    }
    const positions = this.object.geometry.getAttribute("position") as BufferAttribute | undefined;
    if (!positions) return;
    let v = 0;
    for (const matrix of matrices) {
      for (const [a, b] of EDGES) {
        for (const end of [a, b]) {
          corner.copy(CORNERS[end]!).multiplyScalar(MARGIN).applyMatrix4(matrix);
          positions.setXYZ(v++, corner.x, corner.y, corner.z);
        }
      }
    }
    positions.needsUpdate = true;
    this.object.geometry.setDrawRange(0, v);
    this.object.visible = v > 0;
  }

  /** Whether `matrices` are the ones last outlined; remembers them when not. */
  private same(matrices: readonly Matrix4[]): boolean {
    const count = matrices.length * 16;
    let same = count === this.last.length;
    if (!same) this.last = new Float32Array(count);
    for (let i = 0; i < matrices.length; i++) {
      const elements = matrices[i]!.elements;
      for (let k = 0; k < 16; k++) {
        if (this.last[i * 16 + k] !== Math.fround(elements[k]!)) {
          same = false;
          this.last[i * 16 + k] = elements[k]!;
        }
      }
    }
    return same;
  }

  setColor(color: ColorRepresentation): void {
    this.object.material.color.set(color);
  }

  dispose(): void {
    this.object.geometry.dispose();
    this.object.material.dispose();
  }
}
