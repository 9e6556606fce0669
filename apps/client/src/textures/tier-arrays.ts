import {
  Box3,
  CompressedArrayTexture,
  DataArrayTexture,
  LinearFilter,
  LinearMipmapLinearFilter,
  RepeatWrapping,
  RGB_ETC2_Format,
  RGB_S3TC_DXT1_Format,
  SRGBColorSpace,
  Texture,
  Vector3,
  type CompressedPixelFormat,
  type WebGLRenderer,
} from "three";
import { COMPRESSED_TIERS, TEXTURE_TIERS, blockLevelBytes, compressedTierBytes, tierBytes, type TextureTier } from "@tessera/textures";

/** Where a texture's pixels are on the GPU: which array ({@link TIER_ARRAYS}), and the layer in it. */
export interface TextureSlot {
  /** Index of the array in {@link TIER_ARRAYS}. */
  array: number;
  layer: number;
}

/** One mipmap level of a GPU-compressed tier, as transcoded: 4 x 4 texel blocks of 8 bytes. */
export interface CompressedLevel {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A tier ready for the GPU, with its mipmap levels (level 0 the tier itself, down to 1 px). */
export type TierImage = { kind: "rgba"; levels: readonly ImageBitmap[] } | { kind: "compressed"; levels: readonly CompressedLevel[]; format: CompressedPixelFormat };

/**
 * The arrays textures live in: one RGBA8 array per tier size, then one GPU-compressed (4 bits a
 * texel: an eighth of RGBA8) per compressed tier size. A slot's `array` indexes this list.
 */
export const TIER_ARRAYS: readonly { tier: TextureTier; compressed: boolean }[] = [
  ...TEXTURE_TIERS.map((tier) => ({ tier, compressed: false })),
  ...COMPRESSED_TIERS.map((tier) => ({ tier, compressed: true })),
];

/** The compressed formats tiers arrive in, and their sRGB internal formats (as three allocates them). */
const SRGB_INTERNAL_FORMATS = new Map<CompressedPixelFormat, number>([
  [RGB_S3TC_DXT1_Format, 0x8c4c], // COMPRESSED_SRGB_S3TC_DXT1_EXT
  [RGB_ETC2_Format, 0x9275], // COMPRESSED_SRGB8_ETC2
]);
export const COMPRESSED_FORMATS: readonly CompressedPixelFormat[] = [...SRGB_INTERNAL_FORMATS.keys()];

/** GPU bytes of one layer of array `array`, mipmaps included. */
export function layerBytes(array: number): number {
  const { tier, compressed } = TIER_ARRAYS[array]!;
  return compressed ? compressedTierBytes(tier) : tierBytes(tier);
}

/** Layers an array starts with: small tiers are cheap and many, large ones dear and few. */
const FIRST_LAYERS: Record<TextureTier, number> = { 32: 32, 128: 8, 512: 2, 1024: 1 };

const scratchBox = new Box3();
const scratchPosition = new Vector3();

/** Mipmap levels of a tier: down to 1 px. */
const levelsOf = (tier: TextureTier) => Math.log2(tier) + 1;

type TierArray = DataArrayTexture | CompressedArrayTexture;

function arrayTexture(array: number, layers: number, anisotropy: number, format: CompressedPixelFormat | undefined): TierArray {
  const { tier, compressed } = TIER_ARRAYS[array]!;
  // Tells three how many levels to allocate; their pixels come by copies, not from here.
  const mipmaps = Array.from({ length: levelsOf(tier) }, (_, level) => ({ data: new Uint8Array(0), width: tier >> level, height: tier >> level }));
  let texture: TierArray;
  if (compressed) texture = new CompressedArrayTexture(mipmaps, tier, tier, layers, format!);
  else {
    texture = new DataArrayTexture(null, tier, tier, layers);
    // Each layer's levels are copied in with it: rebuilding a whole array's mipmaps per layer costs far more.
    texture.generateMipmaps = false;
    texture.mipmaps = mipmaps;
  }
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.minFilter = LinearMipmapLinearFilter;
  texture.magFilter = LinearFilter;
  texture.anisotropy = anisotropy;
  // Storage only: layers are filled one at a time, never from a CPU-side buffer of the whole array.
  texture.source.dataReady = false;
  texture.needsUpdate = true;
  return texture;
}

/** Anisotropic filtering wanted: sharp textured floors at a glancing angle. */
const ANISOTROPY = 4;
const SOFTWARE_RENDERER = /SwiftShader|llvmpipe|softpipe|Software/i;

/**
 * Anisotropic samples per texel: {@link ANISOTROPY} where the GPU has it, none where WebGL is drawn
 * in software (headless browsers, machines without a GPU), where it made every textured frame
 * three times slower (measured: 1.7 against 5.3 frames a second in SwiftShader).
 */
function anisotropyFor(renderer: WebGLRenderer): number {
  const gl = renderer.getContext();
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  return SOFTWARE_RENDERER.test(name) ? 1 : Math.min(ANISOTROPY, renderer.capabilities.getMaxAnisotropy());
}

/** Copies `layers` layers, every mipmap level, from one RGBA8 tier array into another, on the GPU. */
function copyLevels(renderer: WebGLRenderer, from: DataArrayTexture, to: DataArrayTexture, tier: TextureTier, fromLayer: number, toLayer: number, layers: number): void {
  for (let level = 0; level < levelsOf(tier); level++) {
    const size = tier >> level;
    scratchBox.min.set(0, 0, fromLayer);
    scratchBox.max.set(size, size, fromLayer + layers);
    renderer.copyTextureToTexture(from, to, scratchBox, scratchPosition.set(0, 0, toLayer), level, level);
  }
}

/**
 * Writes a compressed tier's levels into a layer. By hand, as three's own copy names the linear
 * format where the array was allocated as sRGB; through three's state, which tracks the binding.
 */
function writeCompressed(renderer: WebGLRenderer, to: CompressedArrayTexture, layer: number, levels: readonly CompressedLevel[]): void {
  const gl = renderer.getContext() as WebGL2RenderingContext;
  renderer.state.activeTexture(gl.TEXTURE0);
  renderer.state.bindTexture(gl.TEXTURE_2D_ARRAY, (renderer.properties.get(to) as { __webglTexture: WebGLTexture }).__webglTexture);
  const internalFormat = SRGB_INTERNAL_FORMATS.get(to.format)!;
  levels.forEach((level, i) => gl.compressedTexSubImage3D(gl.TEXTURE_2D_ARRAY, i, 0, 0, layer, level.width, level.height, 1, internalFormat, level.data));
}

/** Checks a tier's levels before they reach the GPU: a tier size, square, every level, each compressed level its blocks' bytes. */
function arrayFor(image: TierImage): number {
  const { width, height } = image.levels[0]!;
  const compressed = image.kind === "compressed";
  const array = TIER_ARRAYS.findIndex((kind) => kind.tier === width && kind.compressed === compressed);
  if (array < 0 || height !== width) throw new RangeError(`a ${compressed ? "compressed " : ""}texture tier is square and one of ${TIER_ARRAYS.filter((kind) => kind.compressed === compressed).map((kind) => kind.tier).join(", ")} px; got ${width}x${height}`);
  const levels = levelsOf(width as TextureTier);
  if (image.levels.length !== levels) throw new RangeError(`a ${width} px tier has ${levels} mipmap levels; got ${image.levels.length}`);
  if (image.kind === "compressed") {
    if (!SRGB_INTERNAL_FORMATS.has(image.format)) throw new RangeError(`compressed tiers come as BC1 or ETC2, not format ${image.format}`);
    image.levels.forEach((level, i) => {
      const size = width >> i;
      const bytes = blockLevelBytes(size);
      if (level.width !== size || level.height !== size || level.data.byteLength !== bytes) throw new RangeError(`level ${i} of a compressed ${width} px tier is ${size} px in ${bytes} bytes; got ${level.width}x${level.height} in ${level.data.byteLength}`);
    });
  }
  return array;
}

/**
 * The GPU side of texture streaming: one 2D texture array per tier size and form ({@link
 * TIER_ARRAYS}), so that every textured prim of a batch samples from the same few arrays and draw
 * calls do not grow with the number of textures. A texture takes one layer of its tier's array. An
 * array that runs out of layers grows (a new array, the old layers carried across), by up to its
 * size again but never past the budget: all arrays together never allocate more than `budgetBytes`.
 * Freed layers are reused, and given back when another array needs the room. RGBA8 layers are
 * copied on the GPU; compressed ones cannot be (WebGL 2 cannot read a compressed texture back), so
 * their bytes stay on the CPU too, an eighth of RGBA8's, to be written again into a new array.
 */
export class TierArrays {
  /** The arrays' uniforms, for the prim materials' shaders: index i holds TIER_ARRAYS[i]'s array (null until used). */
  readonly uniforms: { value: TierArray | null }[] = TIER_ARRAYS.map(() => ({ value: null }));
  private readonly free: number[][] = TIER_ARRAYS.map(() => []);
  private readonly capacity: number[] = TIER_ARRAYS.map(() => 0);
  /** The levels of every compressed layer in use, by array and layer. */
  private readonly compressedLayers: (readonly CompressedLevel[] | undefined)[][] = TIER_ARRAYS.map(() => []);
  /** The one compressed format of this page's GPU (all compressed tiers are transcoded alike). */
  private compressedFormat: CompressedPixelFormat | undefined;
  private readonly budgetBytes: number;
  private anisotropy: number | undefined;
  private readonly moved: (from: TextureSlot, to: TextureSlot) => void;

  /** `moved` hears of every layer that moves when an array gives back its free layers. */
  constructor(budgetBytes: number, moved: (from: TextureSlot, to: TextureSlot) => void) {
    this.budgetBytes = budgetBytes;
    this.moved = moved;
  }

  /** Bytes the arrays hold on the GPU (mipmaps included), allocated layers whether used or not. */
  get allocatedBytes(): number {
    return TIER_ARRAYS.reduce((sum, _, i) => sum + layerBytes(i) * this.capacity[i]!, 0);
  }

  /** Layers in use per tier size, both forms together. */
  usedLayers(): Record<TextureTier, number> {
    const used = Object.fromEntries(TEXTURE_TIERS.map((tier) => [tier, 0])) as Record<TextureTier, number>;
    TIER_ARRAYS.forEach(({ tier }, i) => (used[tier] += this.capacity[i]! - this.free[i]!.length));
    return used;
  }

  /**
   * Writes a tier and its mipmap levels into a free layer of its array, or answers undefined when
   * the array is full and the budget leaves no room to grow it. Throws on levels that are not a tier's.
   */
  upload(renderer: WebGLRenderer, image: TierImage): TextureSlot | undefined {
    const array = arrayFor(image);
    if (image.kind === "compressed") {
      this.compressedFormat ??= image.format;
      if (image.format !== this.compressedFormat) throw new RangeError(`this page's compressed tiers are format ${this.compressedFormat}, not ${image.format}`);
    }
    if (this.free[array]!.length === 0 && !this.grow(renderer, array)) {
      // The budget is held by free layers of other arrays: give those back, then try again.
      TIER_ARRAYS.forEach((_, other) => other !== array && this.shrink(renderer, other));
      if (!this.grow(renderer, array)) return undefined;
    }
    const layer = this.free[array]!.pop()!;
    const texture = this.uniforms[array]!.value!;
    if (image.kind === "compressed") {
      writeCompressed(renderer, texture as CompressedArrayTexture, layer, image.levels);
      this.compressedLayers[array]![layer] = image.levels;
    } else {
      image.levels.forEach((level, i) => renderer.copyTextureToTexture(new Texture(level), texture, null, scratchPosition.set(0, 0, layer), 0, i));
    }
    return { array, layer };
  }

  /** Gives a layer back. */
  release(slot: TextureSlot): void {
    this.free[slot.array]!.push(slot.layer);
    this.compressedLayers[slot.array]![slot.layer] = undefined;
  }

  dispose(): void {
    for (const uniform of this.uniforms) uniform.value?.dispose();
  }

  /** Carries layer `from` of an array's old texture to layer `to` of its new one. */
  private carry(renderer: WebGLRenderer, array: number, old: TierArray, next: TierArray, from: number, to: number): void {
    const { tier, compressed } = TIER_ARRAYS[array]!;
    if (!compressed) return copyLevels(renderer, old as DataArrayTexture, next as DataArrayTexture, tier, from, to, 1);
    const levels = this.compressedLayers[array]![from]!;
    writeCompressed(renderer, next as CompressedArrayTexture, to, levels);
    this.compressedLayers[array]![from] = undefined;
    this.compressedLayers[array]![to] = levels;
  }

  /** Gives back an array's free layers: the layers in use move to the front of a smaller array. */
  private shrink(renderer: WebGLRenderer, array: number): void {
    const free = this.free[array]!;
    if (free.length === 0) return;
    const old = this.uniforms[array]!.value!;
    const unused = new Set(free);
    const used = Array.from({ length: this.capacity[array]! }, (_, layer) => layer).filter((layer) => !unused.has(layer));
    const shrunk = used.length === 0 ? null : arrayTexture(array, used.length, this.anisotropy ?? 1, this.compressedFormat);
    if (shrunk) {
      renderer.initTexture(shrunk);
      used.forEach((layer, to) => {
        this.carry(renderer, array, old, shrunk, layer, to);
        if (layer !== to) this.moved({ array, layer }, { array, layer: to });
      });
    }
    old.dispose();
    free.length = 0;
    this.capacity[array] = used.length;
    this.uniforms[array]!.value = shrunk;
  }

  /** Adds layers to an array (up to as many again, within the budget), carrying the old ones across; false when the budget has no room. */
  private grow(renderer: WebGLRenderer, array: number): boolean {
    const { tier, compressed } = TIER_ARRAYS[array]!;
    const old = this.uniforms[array]!.value;
    const before = this.capacity[array]!;
    const room = Math.floor((this.budgetBytes - this.allocatedBytes) / layerBytes(array));
    const after = before + Math.min(before === 0 ? FIRST_LAYERS[tier] : before, room);
    if (after === before) return false;
    this.anisotropy ??= anisotropyFor(renderer);
    const grown = arrayTexture(array, after, this.anisotropy, this.compressedFormat);
    renderer.initTexture(grown);
    if (old) {
      // RGBA8 layers in one GPU copy per level; compressed ones written again, those in use only.
      const unused = new Set(this.free[array]);
      if (!compressed) copyLevels(renderer, old as DataArrayTexture, grown as DataArrayTexture, tier, 0, 0, before);
      else for (let layer = 0; layer < before; layer++) if (!unused.has(layer)) this.carry(renderer, array, old, grown, layer, layer);
      old.dispose();
    }
    // Highest first, so that pop() hands out the lowest free layer.
    for (let layer = after - 1; layer >= before; layer--) this.free[array]!.push(layer);
    this.capacity[array] = after;
    this.uniforms[array]!.value = grown;
    return true;
  }
}
