import { matchMaker } from "@colyseus/core";

/**
 * Picks the process a new room opens on: the one with the fewest rooms, this one on a tie (no IPC
 * hop). Core's default also picks the fewest rooms, but from the per-process counters in presence,
 * which each process writes at most once a second: a burst of openings sees stale counts and piles
 * onto one process. The room listings are written before each creation returns, so they are
 * counted instead, over the processes core knows to be alive.
 */
export async function leastLoadedProcess(): Promise<string> {
  const [processes, listings] = await Promise.all([matchMaker.stats.fetchAll(), matchMaker.query({})]);
  const rooms = new Map(processes.map(({ processId }) => [processId, 0]));
  for (const { processId } of listings) {
    const count = rooms.get(processId);
    if (count !== undefined) rooms.set(processId, count + 1);
  }
  let best = matchMaker.processId;
  let fewest = rooms.get(best) ?? Infinity;
  for (const [processId, count] of rooms) {
    if (count < fewest) {
      best = processId;
      fewest = count;
    }
  }
  return best;
}
