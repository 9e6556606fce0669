import { Vector3, type Camera } from "three";

/** A rectangle on screen, client pixels. */
export interface ScreenRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const projected = new Vector3();

/**
 * The prims whose centres lie inside `box` (client pixels) as the camera sees them, in front of it.
 * `canvas` is where the scene is drawn on the page.
 */
export function boxSelect(centres: Iterable<[number, Vector3]>, camera: Camera, canvas: ScreenRect & { width: number; height: number }, box: ScreenRect): number[] {
  const ids: number[] = [];
  for (const [id, centre] of centres) {
    projected.copy(centre).project(camera);
    if (projected.z < -1 || projected.z > 1) continue;
    const x = canvas.left + ((projected.x + 1) / 2) * canvas.width;
    const y = canvas.top + ((1 - projected.y) / 2) * canvas.height;
    if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) ids.push(id);
  }
  return ids;
}

/** The box a builder draws with the pointer to select what lies inside it. */
export class Marquee {
  private readonly element: HTMLDivElement;
  private box: ScreenRect = { left: 0, top: 0, right: 0, bottom: 0 };

  constructor(parent: HTMLElement) {
    this.element = document.createElement("div");
    this.element.className = "marquee";
    this.element.dataset.testid = "marquee";
    this.element.hidden = true;
    parent.appendChild(this.element);
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  rect(): ScreenRect {
    return this.box;
  }

  /** Spans the box between where the press began and where the pointer is. */
  show(x0: number, y0: number, x1: number, y1: number): void {
    this.box = { left: Math.min(x0, x1), top: Math.min(y0, y1), right: Math.max(x0, x1), bottom: Math.max(y0, y1) };
    Object.assign(this.element.style, {
      left: `${this.box.left}px`,
      top: `${this.box.top}px`,
      width: `${this.box.right - this.box.left}px`,
      height: `${this.box.bottom - this.box.top}px`,
    });
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }

  dispose(): void {
    this.element.remove();
  }
}
