import { DataTexture, FloatType, RGBAFormat, type Material, type WebGLProgramParametersWithUniforms } from "three";
import type { FaceStyle } from "@tessera/prims";
import { TIER_ARRAYS, type TextureSlot } from "../textures/tier-arrays.ts";

/** Texels per instance: [tier array (-1: none), layer, rotation (rad), 0] and [repeats u, v, offset u, v]. */
const TEXELS_PER_INSTANCE = 2;
const WIDTH = 256;
const DEGREES = Math.PI / 180;

/**
 * How each instance of a prim batch is textured: which tier array and layer (or none: the face
 * shows its colour), and its faces' repeats, offset and rotation. Lives in a float texture that
 * the batch's shader reads by instance, next to BatchedMesh's own matrices and colours, so that
 * textured prims stay in their batches whatever texture each shows.
 */
export class FaceLooks {
  readonly uniform: { value: DataTexture };
  private data: Float32Array;
  private dirty = false;

  constructor(instances: number) {
    this.data = new Float32Array(0);
    this.uniform = { value: this.allocate(instances) };
  }

  /** Makes room for `instances` instances. */
  reserve(instances: number): void {
    if (instances * TEXELS_PER_INSTANCE * 4 <= this.data.length) return;
    const old = this.data;
    const texture = this.allocate(instances);
    this.data.set(old);
    this.uniform.value.dispose();
    this.uniform.value = texture;
  }

  /** An instance's look: its texture's slot (undefined: its colour alone) and its faces' texture mapping. */
  set(instance: number, slot: TextureSlot | undefined, style: FaceStyle): void {
    const at = instance * TEXELS_PER_INSTANCE * 4;
    const data = this.data;
    data[at] = slot ? slot.array : -1;
    data[at + 1] = slot ? slot.layer : 0;
    data[at + 2] = style.rotation * DEGREES;
    data[at + 3] = 0;
    data[at + 4] = style.repeats.u;
    data[at + 5] = style.repeats.v;
    data[at + 6] = style.offset.u;
    data[at + 7] = style.offset.v;
    this.dirty = true;
  }

  /** Uploads what changed since the last frame (once per frame). */
  flush(): void {
    if (!this.dirty) return;
    this.uniform.value.needsUpdate = true;
    this.dirty = false;
  }

  dispose(): void {
    this.uniform.value.dispose();
  }

  private allocate(instances: number): DataTexture {
    const rows = Math.ceil((instances * TEXELS_PER_INSTANCE) / WIDTH);
    this.data = new Float32Array(WIDTH * rows * 4);
    for (let at = 0; at < this.data.length; at += TEXELS_PER_INSTANCE * 4) this.data[at] = -1;
    const texture = new DataTexture(this.data, WIDTH, rows, RGBAFormat, FloatType);
    texture.needsUpdate = true;
    return texture;
  }
}

const VERTEX_HEAD = /* glsl */ `
uniform highp sampler2D faceLooks;
flat varying vec2 vLook;
varying vec2 vLookUv;
`;

// After batching_vertex: BatchedMesh's instance index is getIndirectIndex( gl_DrawID ).
const VERTEX_BODY = /* glsl */ `
{
  int look = int( getIndirectIndex( gl_DrawID ) ) * ${TEXELS_PER_INSTANCE};
  int lookWidth = textureSize( faceLooks, 0 ).x;
  vec4 lookA = texelFetch( faceLooks, ivec2( look % lookWidth, look / lookWidth ), 0 );
  vec4 lookB = texelFetch( faceLooks, ivec2( ( look + 1 ) % lookWidth, ( look + 1 ) / lookWidth ), 0 );
  vLook = lookA.xy;
  // Second Life's texture mapping: turn about the face's centre, then repeat and offset.
  vec2 centred = uv - 0.5;
  float s = sin( lookA.z );
  float c = cos( lookA.z );
  vLookUv = vec2( c * centred.x - s * centred.y, s * centred.x + c * centred.y ) * lookB.xy + 0.5 + lookB.zw;
}
`;

const FRAGMENT_HEAD = /* glsl */ `
${TIER_ARRAYS.map((_, i) => `uniform highp sampler2DArray tierArray${i};`).join("\n")}
flat varying vec2 vLook;
varying vec2 vLookUv;
`;

/** Samples the instance's tier array; `keepAlpha` for see-through batches, whose texture alpha shows. */
function fragmentBody(keepAlpha: boolean): string {
  // Gradients outside the branches, so that mipmapping holds wherever the instance's array is chosen.
  const sample = TIER_ARRAYS.map((_, i) => `${i > 0 ? "else " : ""}if ( vLook.x < ${i}.5 ) texel = textureGrad( tierArray${i}, at, dx, dy );`).join("\n    ");
  return /* glsl */ `
{
  vec2 dx = dFdx( vLookUv );
  vec2 dy = dFdy( vLookUv );
  if ( vLook.x >= 0.0 ) {
    vec3 at = vec3( vLookUv, vLook.y );
    vec4 texel = vec4( 1.0 );
    ${sample}
    diffuseColor.rgb *= texel.rgb;
    ${keepAlpha ? "diffuseColor.a *= texel.a;" : ""}
  }
}
`;
}

/**
 * Teaches a prim batch's material (MeshStandardMaterial or MeshBasicMaterial, batched) to draw each
 * instance's texture from the tier arrays by its {@link FaceLooks}. The face colour tints the texture,
 * as in Second Life; without a texture the face shows its colour alone.
 */
export function textureBatchMaterial(material: Material, looks: FaceLooks["uniform"], tierArrays: readonly { value: unknown }[], keepAlpha: boolean): void {
  material.onBeforeCompile = (shader: WebGLProgramParametersWithUniforms) => {
    shader.uniforms.faceLooks = looks;
    tierArrays.forEach((uniform, i) => (shader.uniforms[`tierArray${i}`] = uniform));
    shader.vertexShader = VERTEX_HEAD + shader.vertexShader.replace("#include <batching_vertex>", `#include <batching_vertex>\n${VERTEX_BODY}`);
    shader.fragmentShader = FRAGMENT_HEAD + shader.fragmentShader.replace("#include <color_fragment>", `#include <color_fragment>\n${fragmentBody(keepAlpha)}`);
  };
  material.customProgramCacheKey = () => `prim-looks-${keepAlpha ? "alpha" : "opaque"}`;
}
