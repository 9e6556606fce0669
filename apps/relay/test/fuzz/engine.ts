/**
 * Runs the fuzz cases: each category draws its cases from its own arbitrary, in numbered order,
 * from a seed, and spreads them over a pool of lanes (connections or sessions) run concurrently.
 * Case `i` of a category is always the same value for a given seed (see `caseAt`), so any case can be
 * replayed alone.
 */
import fc from "fast-check";
import { fetchCaseArb, frameCaseArb, messageCaseArb, oversizeCaseArb, rawHttpCaseArb, socketCaseArb } from "./cases.ts";
import type { Outcome, Target } from "./context.ts";
import { runFetch, runOversize, runRaw } from "./exec-http.ts";
import { RoomLane, runSocket } from "./exec-ws.ts";

/** A lane runs cases one after another; `close` ends what it holds open. */
interface Lane {
  run(c: unknown): Promise<Outcome>;
  close(): Promise<void>;
}

export interface Category {
  name: string;
  arb: fc.Arbitrary<unknown>;
  /** Share of the run's cases. */
  share: number;
  /** At least this many cases whatever the total. */
  min: number;
  /** Cases of the category run side by side on this many lanes. */
  lanes: number;
  lane(target: Target, index: number): Lane;
}

const stateless = (run: (c: never, target: Target) => Promise<Outcome>) => (target: Target): Lane => ({
  run: (c) => run(c as never, target),
  close: () => Promise.resolve(),
});

const roomLane = (frames: boolean) => (target: Target, index: number): Lane => {
  const lane = new RoomLane(target, index);
  return { run: (c) => lane.run(c as never, frames), close: () => lane.close() };
};

/**
 * - http: well-formed requests through fetch, to every route, with every method, header and body;
 * - http-raw: malformed and lying requests written on raw sockets (framing, lengths, pipelining);
 * - http-oversize: bodies over 1 MiB, by Content-Length or chunked, that must be cut off;
 * - ws-message: room.send / room.sendBytes on joined sessions (the SDK's own encoding);
 * - ws-frame: raw Colyseus frames on a joined room's socket (codes, type headers, msgpack);
 * - ws-socket: odd socket paths, joins driven by hand out of order, reconnections, raw WebSocket framing.
 */
export const CATEGORIES: Category[] = [
  { name: "http", arb: fetchCaseArb, share: 0.28, min: 50, lanes: 12, lane: stateless(runFetch) },
  { name: "http-raw", arb: rawHttpCaseArb, share: 0.12, min: 50, lanes: 32, lane: stateless(runRaw) },
  { name: "http-oversize", arb: oversizeCaseArb, share: 0.004, min: 24, lanes: 4, lane: stateless(runOversize) },
  { name: "ws-message", arb: messageCaseArb, share: 0.33, min: 50, lanes: 16, lane: roomLane(false) },
  { name: "ws-frame", arb: frameCaseArb, share: 0.18, min: 50, lanes: 12, lane: roomLane(true) },
  { name: "ws-socket", arb: socketCaseArb, share: 0.086, min: 30, lanes: 16, lane: stateless(runSocket) },
];

/** Cases generated at once per category (and the unit `caseAt` replays within). */
const CHUNK = 256;

/** A 32-bit seed for one chunk of one category, mixed from the run's seed (FNV-1a). */
function chunkSeed(seed: number, category: string, chunk: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (const c of `${category}#${chunk}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h | 0;
}

/** Case `index` of `category` for `seed`, exactly as the run generated it. */
export function caseAt(category: Category, seed: number, index: number): unknown {
  const offset = index % CHUNK;
  return fc.sample(category.arb, { seed: chunkSeed(seed, category.name, Math.floor(index / CHUNK)), path: String(offset), numRuns: 1 })[0];
}

/** The cases of a category in order, generated a chunk at a time. */
class CaseSource {
  private chunk = -1;
  private values: unknown[] = [];
  private readonly category: Category;
  private readonly seed: number;

  constructor(category: Category, seed: number) {
    this.category = category;
    this.seed = seed;
  }

  get(index: number): unknown {
    const chunk = Math.floor(index / CHUNK);
    if (chunk !== this.chunk) {
      this.values = fc.sample(this.category.arb, { seed: chunkSeed(this.seed, this.category.name, chunk), numRuns: CHUNK });
      this.chunk = chunk;
    }
    return this.values[index % CHUNK];
  }
}

/** A case that ran: which, when (ms, performance.now()), and how it went. */
export interface CaseRecord {
  category: string;
  index: number;
  start: number;
  end: number;
  outcome: Outcome;
}

export interface CategoryStats {
  name: string;
  cases: number;
  refused: number;
  accepted: number;
  skipped: number;
  /** Lane errors: a case the fuzzer itself could not run (the relay refused to even start a session). */
  errors: number;
  durationMs: number;
  /** Time the cases took, summed (lanes run side by side). */
  caseMs: number;
  violations: { index: number; message: string }[];
  laneErrors: string[];
  /** Why cases were skipped (a few). */
  skipNotes: string[];
}

export interface RunOptions {
  target: Target;
  seed: number;
  /** Cases of each category, by name. */
  counts: Map<string, number>;
  /** When it returns true, lanes stop taking new cases. */
  stop?: () => boolean;
  records: CaseRecord[];
}

/** Runs `counts` cases of each category, every category at once, each over its lanes. */
export async function runCategories(options: RunOptions): Promise<CategoryStats[]> {
  return Promise.all(
    CATEGORIES.filter((category) => (options.counts.get(category.name) ?? 0) > 0).map((category) => runCategory(category, options)),
  );
}

async function runCategory(category: Category, options: RunOptions): Promise<CategoryStats> {
  const total = options.counts.get(category.name) ?? 0;
  const source = new CaseSource(category, options.seed);
  const stats: CategoryStats = { name: category.name, cases: 0, refused: 0, accepted: 0, skipped: 0, errors: 0, durationMs: 0, caseMs: 0, violations: [], laneErrors: [], skipNotes: [] };
  const started = performance.now();
  let next = 0;
  const lanes = Array.from({ length: Math.min(category.lanes, total) }, (_, i) => category.lane(options.target, i));
  await Promise.all(
    lanes.map(async (lane) => {
      let failuresInARow = 0;
      while (next < total && !options.stop?.()) {
        const index = next++;
        const c = source.get(index);
        const start = performance.now();
        let outcome: Outcome;
        try {
          outcome = await lane.run(c);
          failuresInARow = 0;
        } catch (error) {
          // The lane could not set the case up (a session refused, a join that failed): it is not a
          // case the relay answered, so it is not counted; too many in a row stop the lane.
          stats.errors++;
          if (stats.laneErrors.length < 5) stats.laneErrors.push(`${category.name}#${index}: ${error instanceof Error ? error.message : String(error)}`);
          if (++failuresInARow >= 20) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        const end = performance.now();
        options.records.push({ category: category.name, index, start, end, outcome });
        stats.caseMs += end - start;
        if (outcome.skipped) {
          stats.skipped++;
          if (outcome.note && stats.skipNotes.length < 3 && !stats.skipNotes.includes(outcome.note)) stats.skipNotes.push(outcome.note);
          continue;
        }
        stats.cases++;
        if (outcome.refused) stats.refused++;
        else stats.accepted++;
        if (outcome.violation) stats.violations.push({ index, message: outcome.violation });
      }
      await lane.close().catch(() => undefined);
    }),
  );
  stats.durationMs = performance.now() - started;
  return stats;
}

/** Runs one case alone on a fresh lane (for replays). */
export async function runOne(category: Category, c: unknown, target: Target): Promise<Outcome> {
  const lane = category.lane(target, 0);
  try {
    return await lane.run(c);
  } finally {
    await lane.close().catch(() => undefined);
  }
}

/** How many cases of each category a run of `total` makes (of the categories named in `only`, if any). */
export function splitCases(total: number, only: readonly string[] = []): Map<string, number> {
  const chosen = only.length > 0 ? CATEGORIES.filter((c) => only.includes(c.name)) : CATEGORIES;
  const unknown = only.filter((name) => !CATEGORIES.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`no such fuzz category: ${unknown.join(", ")} (there are ${CATEGORIES.map((c) => c.name).join(", ")})`);
  const counts = new Map<string, number>();
  const shares = chosen.reduce((sum, c) => sum + c.share, 0);
  for (const category of chosen) counts.set(category.name, Math.max(category.min, Math.round((total * category.share) / shares)));
  return counts;
}
