import { LOD_COUNT, generatePrimMesh, type Lod } from "@tessera/prims";
import { PRESET_SHOWCASE, VARIANT_SHOWCASE } from "@tessera/worldgen";

export interface LodTiming {
  lod: Lod;
  /** Mean time to generate one mesh, over every showcase shape, microseconds. */
  meanUs: number;
  /** The slowest shape's mean, microseconds. */
  slowestUs: number;
  slowest: string;
  meanTriangles: number;
}

/** Mesh generation time per level of detail, over every preset and variant of the showcase. */
export function meshTimings(repeats = 50): LodTiming[] {
  const shapes = [...PRESET_SHOWCASE, ...VARIANT_SHOWCASE];
  // Warm the JIT on every shape and level first, or the first level measured pays for it.
  for (let round = 0; round < repeats; round++) for (let lod = 0 as Lod; lod < LOD_COUNT; lod++) for (const { shape } of shapes) generatePrimMesh(shape, lod);
  const timings: LodTiming[] = [];
  for (let lod = 0 as Lod; lod < LOD_COUNT; lod++) {
    let total = 0;
    let triangles = 0;
    let slowestUs = 0;
    let slowest = "";
    for (const { name, shape } of shapes) {
      const start = performance.now();
      for (let i = 0; i < repeats; i++) triangles += generatePrimMesh(shape, lod).indices.length / 3 / repeats;
      const us = ((performance.now() - start) * 1000) / repeats;
      total += us;
      if (us > slowestUs) [slowestUs, slowest] = [us, name];
    }
    timings.push({ lod, meanUs: total / shapes.length, slowestUs, slowest, meanTriangles: triangles / shapes.length });
  }
  return timings;
}
