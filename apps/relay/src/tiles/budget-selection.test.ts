import { describe, expect, it } from "vitest";
import { seededRandom } from "@tessera/prims";
import { BudgetSelection } from "./budget-selection.ts";

/** The reference: sort by priority, highest first, and take while they fit. */
function bySorting(items: { key: number; priority: number; bytes: number }[], budget: number): number[] {
  const taken: number[] = [];
  let room = budget;
  for (const item of [...items].sort((a, b) => b.priority - a.priority)) {
    if (item.bytes > room) break;
    room -= item.bytes;
    taken.push(item.key);
  }
  return taken.sort((a, b) => a - b);
}

describe("BudgetSelection", () => {
  it("takes what sorting would take, for distinct priorities and mixed sizes", () => {
    const random = seededRandom(3);
    const selection = new BudgetSelection();
    for (let round = 0; round < 300; round++) {
      const count = Math.floor(random() * 400);
      const items = Array.from({ length: count }, (_, key) => ({ key, priority: random() * 100, bytes: random() < 0.8 ? 10 : 20 }));
      const budget = Math.floor(random() * 2000);
      selection.clear();
      for (const { key, priority, bytes } of items) selection.push(key, priority, bytes);
      const k = selection.select(budget);
      const chosen = Array.from({ length: k }, (_, i) => selection.key(i)).sort((a, b) => a - b);
      expect(chosen).toEqual(bySorting(items, budget));
    }
  });

  it("handles ties: never a lower priority before a higher one, and stops only at one that does not fit", () => {
    const random = seededRandom(5);
    const selection = new BudgetSelection();
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: 200 }, (_, key) => ({ key, priority: Math.floor(random() * 4), bytes: random() < 0.5 ? 10 : 20 }));
      const budget = Math.floor(random() * 3000);
      selection.clear();
      for (const { key, priority, bytes } of items) selection.push(key, priority, bytes);
      const k = selection.select(budget);
      const chosen = new Set(Array.from({ length: k }, (_, i) => selection.key(i)));
      const taken = items.filter((item) => chosen.has(item.key));
      const left = items.filter((item) => !chosen.has(item.key));
      const room = budget - taken.reduce((sum, item) => sum + item.bytes, 0);
      expect(room).toBeGreaterThanOrEqual(0);
      if (left.length === 0) continue;
      const best = Math.max(...left.map((item) => item.priority));
      expect(Math.min(...taken.map((item) => item.priority))).toBeGreaterThanOrEqual(best);
      expect(left.some((item) => item.priority === best && item.bytes > room)).toBe(true);
    }
  });

  it("takes everything when it all fits, and nothing from an empty set", () => {
    const selection = new BudgetSelection();
    expect(selection.select(100)).toBe(0);
    for (let key = 0; key < 5; key++) selection.push(key, key, 10);
    expect(selection.select(50)).toBe(5);
    expect(selection.select(9)).toBe(0);
  });
});
