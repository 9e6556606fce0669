import { ANGLE_STEPS, GRID_SIZES, angleStep, gridSize } from "./snap.ts";

/** What a drag in the scene does to the selection. */
export const TOOLS = ["select", "move", "rotate", "scale"] as const;
export type Tool = (typeof TOOLS)[number];

/** The axes a gizmo moves along: the world's, or the prim's own. */
export type Space = "world" | "local";

/** The build tools' settings, as the toolbar shows them. */
export interface ToolSettings {
  /** Build mode is on: the camera orbits, clicks select, the toolbar shows. */
  building: boolean;
  tool: Tool;
  space: Space;
  /** Moves and sizes snap to this grid, metres. */
  grid: number;
  /** Rotations snap to steps of this many degrees. */
  angle: number;
  /** A click selects the prim itself rather than the whole object it is linked into (Second Life's "Edit linked"). */
  parts: boolean;
}

type Listener = () => void;

/**
 * The build tools' settings behind the toolbar and its keys (B, 1-4, the space toggle), held in
 * their ranges. Framework-free; the page binds it to React through {@link subscribe}.
 */
export class BuildTools {
  private state: ToolSettings = { building: false, tool: "move", space: "world", grid: GRID_SIZES.default, angle: ANGLE_STEPS.default, parts: false };
  private readonly listeners = new Set<Listener>();

  get settings(): Readonly<ToolSettings> {
    return this.state;
  }

  /** B, or the toolbar's button. */
  toggleBuilding(): void {
    this.update({ building: !this.state.building });
  }

  /** Keys 1-4 pick the tools in toolbar order. */
  pickTool(tool: Tool): void {
    this.update({ tool });
  }

  /** The tool a number key (1-4) picks, if any. */
  static toolForKey(key: string): Tool | undefined {
    const index = Number(key) - 1;
    return Number.isInteger(index) ? TOOLS[index] : undefined;
  }

  toggleSpace(): void {
    this.update({ space: this.state.space === "world" ? "local" : "world" });
  }

  /** P: edit the parts of linked objects, or whole objects. */
  toggleParts(): void {
    this.update({ parts: !this.state.parts });
  }

  /** Sets the grid (held within 0.01-4 m). */
  setGrid(metres: number): void {
    this.update({ grid: gridSize(metres) });
  }

  /** Sets the angle step (whole degrees within 1-90). */
  setAngle(degrees: number): void {
    this.update({ angle: angleStep(degrees) });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(change: Partial<ToolSettings>): void {
    const next = { ...this.state, ...change };
    if ((Object.keys(change) as (keyof ToolSettings)[]).every((key) => next[key] === this.state[key])) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
