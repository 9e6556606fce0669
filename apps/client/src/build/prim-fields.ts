import { Euler, Quaternion } from "three";
import { faceRoles, faceStyleAt, type FaceStyle, type Prim, type Quat, type Rgba } from "@tessera/prims";
import type { WorldClient } from "@tessera/sdk";

/** Rotation fields show degrees to a tenth. */
const tenth = (value: number) => Math.round(value * 10) / 10 + 0;

/** A rotation as the panel shows it: XYZ Euler angles in degrees. */
export function eulerDegrees(q: Readonly<Quat>): { x: number; y: number; z: number } {
  const euler = new Euler().setFromQuaternion(new Quaternion(q.x, q.y, q.z, q.w), "XYZ");
  return { x: tenth((euler.x * 180) / Math.PI), y: tenth((euler.y * 180) / Math.PI), z: tenth((euler.z * 180) / Math.PI) };
}

/** XYZ Euler angles in degrees as a rotation. */
export function fromEulerDegrees(degrees: { x: number; y: number; z: number }): Quat {
  const q = new Quaternion().setFromEuler(new Euler((degrees.x * Math.PI) / 180, (degrees.y * Math.PI) / 180, (degrees.z * Math.PI) / 180, "XYZ"));
  return { x: q.x, y: q.y, z: q.z, w: q.w };
}

/** `#rrggbb` of a face colour, for a colour input. */
export function hexOf(color: Readonly<Rgba>): string {
  return `#${[color.r, color.g, color.b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** A colour input's `#rrggbb` with an alpha. */
export function rgbaOf(hex: string, a: number): Rgba {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255, a };
}

/** How many faces a prim's shape has. */
export function faceCount(prim: Readonly<Prim>): number {
  return faceRoles(prim.shape).length;
}

/**
 * A prim's face styles with `change` made to one face (or, with `face` -1, to every face: one style
 * for all). Faces not named keep how they look.
 */
export function withFace(prim: Readonly<Prim>, face: number, change: (style: FaceStyle) => FaceStyle): FaceStyle[] {
  if (face < 0) return [change(faceStyleAt(prim, 0))];
  return Array.from({ length: faceCount(prim) }, (_, i) => (i === face ? change(faceStyleAt(prim, i)) : faceStyleAt(prim, i)));
}

/** Who a prim's owner is, in words: "you", "the world", the name of a player in view, or the id. */
export function ownerName(client: WorldClient, owner: string): string {
  if (owner === "") return "the world";
  if (owner === client.playerId) return "you";
  for (const avatar of client.avatars()) if (avatar.id === owner) return avatar.name;
  return `player ${owner}`;
}
