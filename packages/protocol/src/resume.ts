/**
 * Where an avatar stood, as its relay vouches for it: `<x>.<y>.<z>.<facing>.<issued>.<signature>`,
 * positions in whole millimetres, facing in milliradians, the issue time in seconds since 1970
 * (base 36). The relay sends its avatar's player one now and then (`resume` messages); a client
 * that must enter the world again (its relay restarted) joins the tile of that position with the
 * token and stands where it was. The position is readable (the client picks the tile from it); the
 * signature, over the player id too, is the relay's business.
 */
export interface ResumePosition {
  x: number;
  y: number;
  z: number;
  facing: number;
  /** When the relay vouched for it, ms since 1970. */
  issuedAt: number;
}

/** A resume token is this long at most. */
export const MAX_RESUME_TOKEN = 96;

const INTEGER = /^-?\d{1,9}$/;
const ISSUED = /^[0-9a-z]{1,8}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{22}$/;

/** The signed part of a token for `position` (what the relay signs, with the player id). */
export function resumeBody(position: ResumePosition): string {
  const mm = (v: number) => Math.round(v * 1000);
  return [mm(position.x), mm(position.y), mm(position.z), Math.round(position.facing * 1000), Math.floor(position.issuedAt / 1000).toString(36)].join(".");
}

/** The position a token names and its signed body; undefined for anything that is not one. */
export function readResumeToken(token: unknown): { position: ResumePosition; body: string; signature: string } | undefined {
  if (typeof token !== "string" || token.length > MAX_RESUME_TOKEN) return undefined;
  const parts = token.split(".");
  if (parts.length !== 6) return undefined;
  const [x, y, z, facing, issued, signature] = parts as [string, string, string, string, string, string];
  if (![x, y, z, facing].every((part) => INTEGER.test(part)) || !ISSUED.test(issued) || !SIGNATURE.test(signature)) return undefined;
  const position = { x: Number(x) / 1000, y: Number(y) / 1000, z: Number(z) / 1000, facing: Number(facing) / 1000, issuedAt: parseInt(issued, 36) * 1000 };
  return { position, body: parts.slice(0, 5).join("."), signature };
}
