import type { Row } from "@tessera/bots";
import { COMPRESSED_TIERS, FLOOR_TIER, TEXTURE_TIERS } from "@tessera/textures";
import type { PageRun } from "./page.ts";
import type { CompressedSizes, TierSizes } from "./upload.ts";

/** The target: ours downloads at most this share of the baseline's bytes. */
export const BYTES_TARGET = 0.25;

const MIB = 1024 * 1024;
const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : "-");
const mb = (bytes: number) => round(bytes / 1e6, 2);
const mib = (bytes: number) => round(bytes / MIB, 1);
const seconds = (ms: number | null) => (ms === null ? "never" : round(ms / 1000, 2));
const percent = (a: number, b: number) => (b === 0 ? "-" : `${round((100 * a) / b)}%`);
/** `a` against `b` as "12.3x"; "-" where that says nothing. */
const times = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? "-" : `${round(a / b, 2)}x`);

/** Textures whose best tier is below (or above) the one their faces call for. */
function offTier(run: PageRun): { below: PageRun["report"]["perTexture"]; above: PageRun["report"]["perTexture"] } {
  const textures = run.report.perTexture;
  return { below: textures.filter((t) => t.held < t.wanted), above: textures.filter((t) => t.held > t.wanted) };
}

/**
 * The least ours could fetch for this scene: each texture's floor tier, and the tier its faces call
 * for when that is larger (by the sizes the relay serves).
 */
export function leastBytes(run: PageRun, sizes: ReadonlyMap<string, TierSizes>): number {
  return run.report.perTexture.reduce((sum, { id, wanted }) => {
    const tiers = sizes.get(id);
    if (!tiers) return sum;
    return sum + tiers[FLOOR_TIER] + (wanted > FLOOR_TIER ? tiers[wanted] : 0);
  }, 0);
}

/** Each run: bytes, times, GPU memory, draw calls, textures by tier and against the tier called for. */
export function runRows(runs: readonly PageRun[]): Row[] {
  return runs.map((run) => {
    const { report } = run;
    const { below, above } = offTier(run);
    return {
      run: run.spec.label,
      fetchedMB: mb(report.bytesFetched),
      fetches: report.fetched,
      networkMB: mb(run.wire.bytes),
      cacheHits: run.wire.fromCache,
      allShownS: seconds(report.allShownMs),
      allShownFrames: report.allShownFrames ?? "never",
      rightTierS: run.timedOut ? `>${round(report.elapsedMs / 1000, 0)} (not settled)` : seconds(report.settledMs),
      rightTierFrames: report.settledFrames ?? "-",
      msPerFrame: Math.round(report.elapsedMs / report.frames),
      steadyMsPerFrame: Math.round(run.steadyMsPerFrame),
      gpuAllocMiB: mib(report.gpuBytes),
      gpuUsedMiB: mib(report.usedBytes),
      compressed: report.compressed,
      drawCalls: report.drawCalls,
      ...Object.fromEntries(TEXTURE_TIERS.map((tier) => [`at${tier}`, report.tiers[tier]])),
      belowWanted: below.length,
      aboveWanted: above.length,
      worstFrameMs: Math.round(report.worstFrameMs),
    };
  });
}

/** Ours against the baseline: the share of its bytes and GPU memory, times as a multiple, draw calls. */
export function ratioRows(runs: readonly PageRun[]): Row[] {
  const naive = runs.find((run) => run.spec.renderer === "naive");
  if (!naive) return [];
  return runs
    .filter((run) => run.spec.renderer === "ours")
    .map((ours) => ({
      run: `${ours.spec.label} / naive`,
      fetched: percent(ours.report.bytesFetched, naive.report.bytesFetched),
      network: percent(ours.wire.bytes, naive.wire.bytes),
      allShown: times(ours.report.allShownMs, naive.report.allShownMs),
      allShownFrames: times(ours.report.allShownFrames, naive.report.allShownFrames),
      rightTier: ours.timedOut ? "-" : times(ours.report.settledMs, naive.report.settledMs),
      rightTierFrames: ours.timedOut ? "-" : times(ours.report.settledFrames, naive.report.settledFrames),
      gpuAlloc: percent(ours.report.gpuBytes, naive.report.gpuBytes),
      gpuUsed: percent(ours.report.usedBytes, naive.report.usedBytes),
      steadyMsPerFrame: times(ours.steadyMsPerFrame, naive.steadyMsPerFrame),
      drawCalls: times(ours.report.drawCalls, naive.report.drawCalls),
    }));
}

/** Bytes the relay serves per tier over the scene's textures (WebP, and KTX2 where made): total and mean. */
export function tierRows(sizes: ReadonlyMap<string, TierSizes>, compressed: ReadonlyMap<string, CompressedSizes>): Row[] {
  const all = [...sizes.values()];
  const webp = TEXTURE_TIERS.map((tier) => {
    const total = all.reduce((sum, entry) => sum + entry[tier], 0);
    return { tier: `${tier} px WebP`, textures: all.length, totalMB: mb(total), meanKB: round(total / all.length / 1000, 1) };
  });
  const forms = [...compressed.values()];
  const ktx2 = COMPRESSED_TIERS.map((tier) => {
    const made = forms.filter((entry) => (entry[tier] ?? 0) > 0);
    const total = made.reduce((sum, entry) => sum + entry[tier]!, 0);
    return { tier: `${tier} px KTX2`, textures: made.length, totalMB: mb(total), meanKB: made.length > 0 ? round(total / made.length / 1000, 1) : "-" };
  });
  return [...webp, ...ktx2];
}

const describe = (textures: PageRun["report"]["perTexture"], limit = 6) =>
  textures
    .slice(0, limit)
    .map(({ id, wanted, held }) => `${id.slice(0, 8)}… wants ${wanted}, shows ${held || "nothing"}`)
    .join("; ") + (textures.length > limit ? `; and ${textures.length - limit} more` : "");

/** What the issue asks to be told: the byte target, whether each texture reached its tier, whether the budget holds. */
export function findings(runs: readonly PageRun[], sizes: ReadonlyMap<string, TierSizes>): string[] {
  const lines: string[] = [];
  const naive = runs.find((run) => run.spec.renderer === "naive");
  for (const run of runs) {
    const { report } = run;
    const { below, above } = offTier(run);
    const label = run.spec.label;
    if (report.inView < report.prims) lines.push(`${label}: only ${report.inView} of ${report.prims} prims in view.`);
    if (run.timedOut) {
      lines.push(
        `${label}: NOT settled after ${round(report.elapsedMs / 1000, 0)} s (${report.shown}/${report.textures} textures showing, ${report.queued} queued, ${report.inFlight} in flight, ` +
          `${report.failed} failed; what the faces show last changed at ${seconds(report.lastChangeMs)} s): the numbers are where it stood.`,
      );
    }
    if (run.wire.repeated > 0) {
      lines.push(`${label}: ${run.wire.repeated} of its ${run.wire.responses} texture requests asked again for a tier it had fetched before (dropped, then wanted again).`);
    }
    if (!run.timedOut && !run.stayedSettled) lines.push(`${label}: settled, then changed again within the next seconds (a fetch or a tier dropped): its figures are of that later moment.`);
    if (report.failed > 0) lines.push(`${label}: ${report.failed} texture fetch(es) or upload(s) failed.`);
    if (run.spec.renderer === "naive") continue;
    if (naive) {
      const share = report.bytesFetched / naive.report.bytesFetched;
      const network = naive.wire.bytes > 0 ? run.wire.bytes / naive.wire.bytes : Number.NaN;
      lines.push(
        `${label}: fetched ${mb(report.bytesFetched)} MB of texture bodies (stats.bytesFetched), ${percent(report.bytesFetched, naive.report.bytesFetched)} of the baseline's ` +
          `${mb(naive.report.bytesFetched)} MB (target <= ${BYTES_TARGET * 100}%: ${share <= BYTES_TARGET ? "met" : "NOT met"}); over the network ${mb(run.wire.bytes)} MB, ` +
          `${percent(run.wire.bytes, naive.wire.bytes)} of the baseline's (${network <= BYTES_TARGET ? "met" : "NOT met"}).`,
      );
    }
    const least = leastBytes(run, sizes);
    lines.push(
      `${label}: the least this scene needs (each texture's ${FLOOR_TIER} px tier, plus the tier its faces call for) is ${mb(least)} MB; ` +
        `it fetched ${mb(report.bytesFetched)} MB in ${report.fetched} images (${percent(report.bytesFetched, least)} of that least) for ${report.textures} textures.`,
    );
    const wanted = TEXTURE_TIERS.map((tier) => `${report.wanted[tier]} x ${tier}`).join(", ");
    const held = TEXTURE_TIERS.map((tier) => `${report.tiers[tier]} x ${tier}`).join(", ");
    lines.push(`${label}: tiers called for ${wanted}; reached ${held}.`);
    const budget = report.budgetBytes ?? 0;
    if (below.length > 0) {
      lines.push(
        `${label}: ${below.length} texture(s) below the tier their faces call for${budget > 0 && report.usedBytes > budget * 0.8 ? " (the budget is nearly all used: expected)" : ""}: ${describe(below)}.`,
      );
    } else lines.push(`${label}: every texture reached the tier its faces call for.`);
    if (above.length > 0) lines.push(`${label}: ${above.length} texture(s) above the tier called for: ${describe(above)}.`);
    if (budget > 0) {
      lines.push(
        `${label}: GPU ${mib(report.usedBytes)} MiB in use, ${mib(report.gpuBytes)} MiB allocated, against a ${mib(budget)} MiB budget ` +
          `(${report.usedBytes <= budget ? "in use within it" : "in use OVER it"}; ${report.gpuBytes <= budget ? "allocated within it" : "allocated OVER it"}).`,
      );
    }
  }
  for (const run of runs) {
    const { wire, report } = run;
    if (wire.responses !== report.fetched || Math.abs(wire.bytes - report.bytesFetched) > 1024) {
      lines.push(
        `${run.spec.label}: the browser's network events saw ${wire.responses} /textures/ responses (${wire.fromCache} answered from its HTTP cache), ${mb(wire.bytes)} MB of bodies ` +
          `over the network, against ${report.fetched} fetches and ${mb(report.bytesFetched)} MB counted in the page (which counts cache answers too; fetches under way when the run ended count on one side only).`,
      );
    }
  }
  return lines;
}
