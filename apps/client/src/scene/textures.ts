import { CanvasTexture, RepeatWrapping, SRGBColorSpace, type Texture } from "three";

const TILE_PIXELS = 1024;

/**
 * One tile of ground, repeated once per tile: grass with a little noise, faint lines every 4 m and
 * a stronger line at the tile's border (half on each side, so neighbours share one line).
 */
export function groundTexture(tileSize: number, maxAnisotropy: number): Texture {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = TILE_PIXELS;
  const ctx = canvas.getContext("2d")!;
  const image = ctx.createImageData(TILE_PIXELS, TILE_PIXELS);
  let seed = 7;
  const noise = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < image.data.length; i += 4) {
    const n = noise() * 14 - 7;
    image.data[i] = 108 + n;
    image.data[i + 1] = 138 + n * 1.2;
    image.data[i + 2] = 86 + n * 0.6;
    image.data[i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  const pixelsPerMetre = TILE_PIXELS / tileSize;
  ctx.fillStyle = "rgba(40, 60, 30, 0.14)";
  for (let m = 4; m < tileSize; m += 4) {
    const p = Math.round(m * pixelsPerMetre);
    ctx.fillRect(p - 1, 0, 2, TILE_PIXELS);
    ctx.fillRect(0, p - 1, TILE_PIXELS, 2);
  }
  ctx.fillStyle = "rgba(245, 245, 225, 0.3)";
  ctx.fillRect(0, 0, 2, TILE_PIXELS);
  ctx.fillRect(TILE_PIXELS - 2, 0, 2, TILE_PIXELS);
  ctx.fillRect(0, 0, TILE_PIXELS, 2);
  ctx.fillRect(0, TILE_PIXELS - 2, TILE_PIXELS, 2);
  const texture = new CanvasTexture(canvas);
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.colorSpace = SRGBColorSpace;
  texture.anisotropy = maxAnisotropy;
  return texture;
}

/** A vertical fade from `rgb` at the bottom to transparent at the top, for the world's edge. */
export function edgeFadeTexture(rgb: string): Texture {
  const canvas = document.createElement("canvas");
  canvas.width = 4;
  canvas.height = 128;
  const ctx = canvas.getContext("2d")!;
  const gradient = ctx.createLinearGradient(0, 128, 0, 0);
  gradient.addColorStop(0, `rgba(${rgb}, 0.55)`);
  gradient.addColorStop(1, `rgba(${rgb}, 0)`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 4, 128);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

/** A canvas `width` x `height` px holding a plate of `fill` with corners of `radius` px, to write text on. */
function roundedPlate(width: number, height: number, radius: number, fill: string): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.roundRect(0, 0, width, height, radius);
  ctx.fill();
  return { canvas, ctx };
}

/** Height of a name tag in metres; its width follows the text. */
export const NAME_TAG_HEIGHT = 0.32;

/** A name tag: white text on a rounded dark plate. Returns the texture and its width / height ratio. */
export function nameTagTexture(name: string): { texture: Texture; aspect: number } {
  const fontPx = 40;
  const pad = 14;
  const measure = document.createElement("canvas").getContext("2d")!;
  measure.font = `600 ${fontPx}px system-ui, sans-serif`;
  const width = Math.ceil(measure.measureText(name).width) + pad * 2;
  const height = fontPx + pad;
  const { canvas, ctx } = roundedPlate(width, height, height / 2, "rgba(15, 20, 30, 0.55)");
  ctx.font = measure.font;
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(name, width / 2, height / 2 + 1);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return { texture, aspect: width / height };
}

/** Height of one line of a chat bubble, metres. */
export const BUBBLE_LINE_HEIGHT = 0.26;
/** Characters a bubble shows at most; the chat panel has the whole line. */
const BUBBLE_CHARS = 140;
/** Widest a bubble's text runs before it wraps, px of its canvas. */
const BUBBLE_WIDTH_PX = 560;

/**
 * A chat bubble: the line's text (drawn as text, never markup), wrapped to a few lines, dark on a
 * light rounded plate. Returns the texture, its width / height ratio and its lines.
 */
export function chatBubbleTexture(text: string): { texture: Texture; aspect: number; lines: number } {
  const fontPx = 34;
  const pad = 16;
  const lineHeight = Math.round(fontPx * 1.25);
  const shown = text.length > BUBBLE_CHARS ? `${text.slice(0, BUBBLE_CHARS - 1)}…` : text;
  const measure = document.createElement("canvas").getContext("2d")!;
  measure.font = `500 ${fontPx}px system-ui, sans-serif`;
  const lines: string[] = [];
  for (const word of shown.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && measure.measureText(`${last} ${word}`).width <= BUBBLE_WIDTH_PX) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const width = Math.min(BUBBLE_WIDTH_PX, Math.ceil(Math.max(...lines.map((line) => measure.measureText(line).width)))) + pad * 2;
  const height = lines.length * lineHeight + pad;
  const { canvas, ctx } = roundedPlate(width, height, 18, "rgba(250, 250, 245, 0.92)");
  ctx.font = measure.font;
  ctx.fillStyle = "#1d2433";
  ctx.textBaseline = "middle";
  // A word longer than the bubble is cut at its edge.
  lines.forEach((line, i) => ctx.fillText(line, pad, pad / 2 + lineHeight * (i + 0.5), width - pad * 2));
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return { texture, aspect: width / height, lines: lines.length };
}

/** A stable, pleasant colour for a player id. */
export function avatarColour(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return `hsl(${Math.abs(hash) % 360}, 55%, 58%)`;
}
