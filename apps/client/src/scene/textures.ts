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
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "rgba(15, 20, 30, 0.55)";
  ctx.beginPath();
  ctx.roundRect(0, 0, width, height, height / 2);
  ctx.fill();
  ctx.font = measure.font;
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(name, width / 2, height / 2 + 1);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return { texture, aspect: width / height };
}

/** A stable, pleasant colour for a player id. */
export function avatarColour(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return `hsl(${Math.abs(hash) % 360}, 55%, 58%)`;
}
