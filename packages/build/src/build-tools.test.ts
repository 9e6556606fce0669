import { describe, expect, it } from "vitest";
import { BuildTools } from "./build-tools.ts";

describe("the build tools' settings", () => {
  it("start out of build mode, moving whole objects in world space on a quarter-metre grid and 15 degree steps", () => {
    expect(new BuildTools().settings).toEqual({ building: false, tool: "move", space: "world", grid: 0.25, angle: 15, parts: false });
  });

  it("follow the toolbar and its keys, and say when they change", () => {
    const tools = new BuildTools();
    let changes = 0;
    tools.subscribe(() => changes++);
    tools.toggleBuilding();
    tools.pickTool(BuildTools.toolForKey("3")!);
    tools.pickTool("rotate");
    tools.toggleSpace();
    tools.toggleParts();
    expect(tools.settings).toMatchObject({ building: true, tool: "rotate", space: "local", parts: true });
    expect(changes).toBe(4);
    expect(BuildTools.toolForKey("5")).toBeUndefined();
    expect(BuildTools.toolForKey("x")).toBeUndefined();
  });

  it("hold the grid and the angle step to their ranges", () => {
    const tools = new BuildTools();
    tools.setGrid(9);
    tools.setAngle(0.2);
    expect(tools.settings).toMatchObject({ grid: 4, angle: 1 });
  });
});
