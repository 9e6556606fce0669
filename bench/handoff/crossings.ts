import { HANDOFF_MARGIN, TICK_RATE } from "@tessera/protocol";

/** Where a crosser's relay put it (from an own-avatar update): at a world tick, received at `at` (ms). */
export interface Sample {
  tick: number;
  x: number;
  at: number;
}

/** A crosser's authority changed: the first update from the new tile, of world tick `tick`, arrived at `at` (ms). */
export interface AuthorityChange {
  at: number;
  tick: number;
  from: string;
  to: string;
}

const TICK_MS = 1000 / TICK_RATE;

/**
 * For each authority change of a crosser pacing across the border at x = `border`: how long from
 * the moment it went past the handoff line (the border plus the handoff margin, on the side it went)
 * until the first update from the new authority arrived, ms. The moment is interpolated by tick
 * between the updates around the crossing, on the arrival clock of the update before it (so that it
 * counts as late as the updates do).
 */
export function handoffDelays(samples: readonly Sample[], changes: readonly AuthorityChange[], border: number): number[] {
  const delays: number[] = [];
  for (const change of changes) {
    const eastward = tileX(change.to) > tileX(change.from);
    const line = eastward ? border + HANDOFF_MARGIN : border - HANDOFF_MARGIN;
    const crossedAt = crossingTime(samples, line, eastward, change.tick);
    if (crossedAt !== undefined) delays.push(change.at - crossedAt);
  }
  return delays;
}

/**
 * When (ms, on the clock of the update before it) the samples last went past `line` in the given
 * direction, up to the update of tick `by` (the new authority's first, which may itself be the one
 * past the line).
 */
function crossingTime(samples: readonly Sample[], line: number, eastward: boolean, by: number): number | undefined {
  let found: number | undefined;
  for (let i = 1; i < samples.length && samples[i]!.tick <= by; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const crossed = eastward ? a.x <= line && b.x > line : a.x >= line && b.x < line;
    if (crossed) found = a.at + ((line - a.x) / (b.x - a.x)) * (b.tick - a.tick) * TICK_MS;
  }
  return found;
}

function tileX(id: string): number {
  return Number(id.split("_")[1]);
}
