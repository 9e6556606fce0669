import { IDENTITY, makePrim, solidFace, type FaceStyle, type Prim, type PrimShape, type Quat, type Vec3 } from "@tessera/prims";
import type { Rect } from "@tessera/protocol";
import { libraryTexture } from "@tessera/textures";

/** Rotation by `degrees` about the vertical axis. */
export function yawRotation(degrees: number): Quat {
  const half = (degrees * Math.PI) / 360;
  return { x: 0, y: Math.sin(half), z: 0, w: Math.cos(half) };
}

/** Rotation by `degrees` about the x axis. */
export function pitchRotation(degrees: number): Quat {
  const half = (degrees * Math.PI) / 360;
  return { x: Math.sin(half), y: 0, z: 0, w: Math.cos(half) };
}

/** Rotation by `degrees` about the z axis. */
export function rollRotation(degrees: number): Quat {
  const half = (degrees * Math.PI) / 360;
  return { x: 0, y: 0, z: Math.sin(half), w: Math.cos(half) };
}

/** `a` then `b` applied after it: the quaternion product b * a. */
export function thenRotate(a: Quat, b: Quat): Quat {
  return {
    w: b.w * a.w - b.x * a.x - b.y * a.y - b.z * a.z,
    x: b.w * a.x + b.x * a.w + b.y * a.z - b.z * a.y,
    y: b.w * a.y - b.x * a.z + b.y * a.w + b.z * a.x,
    z: b.w * a.z + b.x * a.y - b.y * a.x + b.z * a.w,
  };
}

export interface PlaceOptions {
  rotation?: Quat;
  physical?: boolean;
}

/** A colour as a face style, from `#rrggbb` and an optional alpha. */
export function paint(hex: string, alpha = 255, fullBright = false): FaceStyle {
  const value = Number.parseInt(hex.slice(1), 16);
  return { ...solidFace((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff, alpha), fullBright };
}

/** A face style showing a library texture (tinted by the style's colour), repeated `u` by `v` times per face. */
export function textured(face: FaceStyle, texture: string, u = 1, v = u): FaceStyle {
  return { ...face, texture: libraryTexture(texture).id, repeats: { u, v } };
}

/**
 * Collects prims with consecutive ids. Prims whose centre falls outside `bounds` (the grid) are left
 * out, so that a small grid still gets a consistent part of the world.
 */
export class WorldBuilder {
  readonly prims: Prim[] = [];
  private nextId: number;
  private readonly bounds: Rect;

  constructor(bounds: Rect, firstId = 1) {
    this.bounds = bounds;
    this.nextId = firstId;
  }

  /** Places a prim centred at `centre` with size `scale`; returns it, or undefined when it lies off the grid. */
  place(shape: PrimShape, centre: Vec3, scale: Vec3, face: FaceStyle, options: PlaceOptions = {}): Prim | undefined {
    const { minX, minZ, maxX, maxZ } = this.bounds;
    if (centre.x < minX || centre.z < minZ || centre.x >= maxX || centre.z >= maxZ) return undefined;
    const prim = makePrim(this.nextId++, shape, centre, {
      scale,
      faces: [face],
      rotation: options.rotation ?? IDENTITY,
      physical: options.physical ?? false,
    });
    this.prims.push(prim);
    return prim;
  }
}
