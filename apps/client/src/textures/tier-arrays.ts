import { Box3, DataArrayTexture, LinearFilter, LinearMipmapLinearFilter, RepeatWrapping, SRGBColorSpace, Texture, Vector3, type WebGLRenderer } from "three";
import { TEXTURE_TIERS, tierBytes, type TextureTier } from "@tessera/textures";

/** Where a texture's pixels are on the GPU: which tier's array, and the layer in it. */
export interface TextureSlot {
  /** Index of the tier in TEXTURE_TIERS, which is also the array's index. */
  array: number;
  layer: number;
}

/** Layers an array starts with: small tiers are cheap and many, large ones dear and few. */
const FIRST_LAYERS: Record<TextureTier, number> = { 32: 32, 128: 8, 512: 2, 1024: 1 };

const scratchBox = new Box3();
const scratchPosition = new Vector3();

/** Mipmap levels of a tier: down to 1 px. */
const levelsOf = (tier: TextureTier) => Math.log2(tier) + 1;

function arrayTexture(tier: TextureTier, layers: number, anisotropy: number): DataArrayTexture {
  const texture = new DataArrayTexture(null, tier, tier, layers);
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.minFilter = LinearMipmapLinearFilter;
  texture.magFilter = LinearFilter;
  // Each layer's levels are copied in with it: rebuilding a whole array's mipmaps per layer costs far more.
  texture.generateMipmaps = false;
  // Tells three how many levels to allocate; their pixels come by copies, not from here.
  texture.mipmaps = Array.from({ length: levelsOf(tier) }, (_, level) => ({ data: new Uint8Array(0), width: tier >> level, height: tier >> level }));
  texture.anisotropy = anisotropy;
  // Storage only: layers are filled one at a time by copies, never from a CPU-side buffer.
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

/** Copies `layers` layers, every mipmap level, from one tier array into another, on the GPU. */
function copyLevels(renderer: WebGLRenderer, from: DataArrayTexture, to: DataArrayTexture, tier: TextureTier, fromLayer: number, toLayer: number, layers: number): void {
  for (let level = 0; level < levelsOf(tier); level++) {
    const size = tier >> level;
    scratchBox.min.set(0, 0, fromLayer);
    scratchBox.max.set(size, size, fromLayer + layers);
    renderer.copyTextureToTexture(from, to, scratchBox, scratchPosition.set(0, 0, toLayer), level, level);
  }
}

/**
 * The GPU side of texture streaming: one 2D texture array per tier size, so that every textured
 * prim of a batch samples from the same four arrays and draw calls do not grow with the number of
 * textures. A texture takes one layer of its tier's array. An array that runs out of layers grows
 * (a new array, the old layers copied on the GPU), by up to its size again but never past the
 * budget: all arrays together never allocate more than `budgetBytes`. Freed layers are reused, and
 * given back when another size needs the room.
 */
export class TierArrays {
  /** The arrays' uniforms, for the prim materials' shaders: index i holds TEXTURE_TIERS[i]'s array (null until used). */
  readonly uniforms: { value: DataArrayTexture | null }[] = TEXTURE_TIERS.map(() => ({ value: null }));
  private readonly free: number[][] = TEXTURE_TIERS.map(() => []);
  private readonly capacity: number[] = TEXTURE_TIERS.map(() => 0);
  private readonly budgetBytes: number;
  private anisotropy: number | undefined;
  private readonly moved: (from: TextureSlot, to: TextureSlot) => void;

  /** `moved` hears of every layer that moves when an array gives back its free layers. */
  constructor(budgetBytes: number, moved: (from: TextureSlot, to: TextureSlot) => void) {
    this.budgetBytes = budgetBytes;
    this.moved = moved;
  }

  /** Bytes the arrays hold on the GPU (RGBA8 and mipmaps), allocated layers whether used or not. */
  get allocatedBytes(): number {
    return TEXTURE_TIERS.reduce((sum, tier, i) => sum + tierBytes(tier) * this.capacity[i]!, 0);
  }

  /** Layers in use per tier. */
  usedLayers(): Record<TextureTier, number> {
    const used = {} as Record<TextureTier, number>;
    TEXTURE_TIERS.forEach((tier, i) => (used[tier] = this.capacity[i]! - this.free[i]!.length));
    return used;
  }

  /**
   * Copies a decoded tier and its mipmap levels (level 0 square, a tier size) into a free layer of
   * its tier's array, or answers undefined when the array is full and the budget leaves no room to grow it.
   */
  upload(renderer: WebGLRenderer, levels: readonly ImageBitmap[]): TextureSlot | undefined {
    const image = levels[0]!;
    const array = TEXTURE_TIERS.indexOf(image.width as TextureTier);
    if (array < 0 || image.height !== image.width) throw new RangeError(`a texture tier is square and one of ${TEXTURE_TIERS.join(", ")} px; got ${image.width}x${image.height}`);
    if (levels.length !== levelsOf(image.width as TextureTier)) throw new RangeError(`a ${image.width} px tier has ${levelsOf(image.width as TextureTier)} mipmap levels; got ${levels.length}`);
    if (this.free[array]!.length === 0 && !this.grow(renderer, array)) {
      // The budget is held by free layers of other sizes: give those back, then try again.
      TEXTURE_TIERS.forEach((_, other) => other !== array && this.shrink(renderer, other));
      if (!this.grow(renderer, array)) return undefined;
    }
    const layer = this.free[array]!.pop()!;
    levels.forEach((level, i) => renderer.copyTextureToTexture(new Texture(level), this.uniforms[array]!.value!, null, scratchPosition.set(0, 0, layer), 0, i));
    return { array, layer };
  }

  /** Gives a layer back. */
  release(slot: TextureSlot): void {
    this.free[slot.array]!.push(slot.layer);
  }

  dispose(): void {
    for (const uniform of this.uniforms) uniform.value?.dispose();
  }

  /** Gives back an array's free layers: the layers in use move to the front of a smaller array. */
  private shrink(renderer: WebGLRenderer, array: number): void {
    const free = this.free[array]!;
    if (free.length === 0) return;
    const tier = TEXTURE_TIERS[array]!;
    const old = this.uniforms[array]!.value!;
    const unused = new Set(free);
    const used = Array.from({ length: this.capacity[array]! }, (_, layer) => layer).filter((layer) => !unused.has(layer));
    const shrunk = used.length === 0 ? null : arrayTexture(tier, used.length, this.anisotropy ?? 1);
    if (shrunk) {
      renderer.initTexture(shrunk);
      used.forEach((layer, to) => {
        copyLevels(renderer, old, shrunk, tier, layer, to, 1);
        if (layer !== to) this.moved({ array, layer }, { array, layer: to });
      });
    }
    old.dispose();
    free.length = 0;
    this.capacity[array] = used.length;
    this.uniforms[array]!.value = shrunk;
  }

  /** Adds layers to an array (up to as many again, within the budget), copying the old ones across on the GPU; false when the budget has no room. */
  private grow(renderer: WebGLRenderer, array: number): boolean {
    const tier = TEXTURE_TIERS[array]!;
    const old = this.uniforms[array]!.value;
    const before = this.capacity[array]!;
    const room = Math.floor((this.budgetBytes - this.allocatedBytes) / tierBytes(tier));
    const after = before + Math.min(before === 0 ? FIRST_LAYERS[tier] : before, room);
    if (after === before) return false;
    this.anisotropy ??= anisotropyFor(renderer);
    const grown = arrayTexture(tier, after, this.anisotropy);
    renderer.initTexture(grown);
    if (old) {
      copyLevels(renderer, old, grown, tier, 0, 0, before);
      old.dispose();
    }
    // Highest first, so that pop() hands out the lowest free layer.
    for (let layer = after - 1; layer >= before; layer--) this.free[array]!.push(layer);
    this.capacity[array] = after;
    this.uniforms[array]!.value = grown;
    return true;
  }
}
