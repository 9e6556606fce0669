import { parseArgs } from "node:util";
import { defaultWorldConfig } from "@tessera/protocol";
import { printTable, writeResults } from "@tessera/bots";
import { meshTimings } from "./meshing.ts";
import { renderRuns } from "./render.ts";
import { wireSizes } from "./wire.ts";

/**
 * `npm run bench:prims [-- --prims 10000 --frames 30]`: bytes per prim on the wire, mesh generation
 * per level of detail, and a field of prims rendered batched and one mesh per prim in headless
 * Chromium. Prints tables and writes bench/results/prims.json.
 */
const { values } = parseArgs({ options: { prims: { type: "string", default: "10000" }, frames: { type: "string", default: "30" } } });
const count = Number(values.prims);
const frames = Number(values.frames);

const wire = wireSizes(defaultWorldConfig());
printTable(`Bytes per prim, demo world (${wire.prims} prims in ${wire.tiles} tiles, as joining clients load them)`, [
  { encoding: "ours (binary, chunked)", bytesPerPrim: wire.oursBytesPerPrim, vsOurs: 1 },
  { encoding: "JSON", bytesPerPrim: wire.jsonBytesPerPrim, vsOurs: wire.jsonBytesPerPrim / wire.oursBytesPerPrim },
  { encoding: "JSON + gzip", bytesPerPrim: wire.jsonGzipBytesPerPrim, vsOurs: wire.jsonGzipBytesPerPrim / wire.oursBytesPerPrim },
  { encoding: "Second Life (59 + texture entry)", bytesPerPrim: wire.secondLifeBytesPerPrim, vsOurs: wire.secondLifeBytesPerPrim / wire.oursBytesPerPrim },
]);

const meshing = meshTimings();
printTable("Mesh generation per level of detail (22 showcase shapes, Node)", meshing.map((t) => ({ lod: t.lod, meanUs: t.meanUs, slowestUs: t.slowestUs, slowest: t.slowest, meanTriangles: t.meanTriangles })));

const runs = await renderRuns(count, frames);
const [batched, naive] = runs as [(typeof runs)[number], (typeof runs)[number]];
printTable(`${count} prims in view, headless Chromium (SwiftShader), ${frames} frames`, [
  ...runs.map((run) => ({ renderer: run.renderer, drawCalls: run.calls, triangles: run.triangles, frameMsMedian: run.frameMsMedian, frameMsP95: run.frameMsP95, readyMs: run.readyMs, heapMB: run.heapMB ?? "" })),
  {
    renderer: "naive / batched",
    drawCalls: naive.calls / batched.calls,
    triangles: naive.triangles / batched.triangles,
    frameMsMedian: naive.frameMsMedian / batched.frameMsMedian,
    frameMsP95: naive.frameMsP95 / batched.frameMsP95,
    readyMs: naive.readyMs / batched.readyMs,
    heapMB: naive.heapMB && batched.heapMB ? naive.heapMB / batched.heapMB : "",
  },
]);

await writeResults("bench/results/prims.json", { date: new Date().toISOString(), wire, meshing, render: runs });
