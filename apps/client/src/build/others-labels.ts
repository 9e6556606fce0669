import { Vector3, type Camera, type Group, type Matrix4 } from "three";
import type { OthersSelection } from "@tessera/sdk";
import { SelectionOutline } from "./selection-outline.ts";

interface Shown {
  outline: SelectionOutline;
  label: HTMLDivElement;
}

const point = new Vector3();

/**
 * Other builders' selections: an outline in each builder's colour and their name over the last prim
 * they picked, so people see who works where (Roblox Team Create's collaborator colours).
 */
export class OthersLabels {
  private readonly root: Group;
  private readonly shown = new Map<string, Shown>();

  constructor(root: Group) {
    this.root = root;
  }

  /** Once a frame: outlines and labels for `others`, placed where their prims are drawn. */
  update(others: readonly OthersSelection[], worldMatrix: (id: number) => Matrix4 | undefined, camera: Camera, canvas: HTMLCanvasElement): void {
    const seen = new Set<string>();
    const rect = canvas.getBoundingClientRect();
    for (const other of others) {
      const matrices = other.ids.map(worldMatrix).filter((matrix): matrix is Matrix4 => matrix !== undefined);
      if (matrices.length === 0) continue;
      seen.add(other.player);
      const shown = this.shownFor(other, canvas);
      shown.outline.update(matrices);
      point.setFromMatrixPosition(matrices.at(-1)!).project(camera);
      const onScreen = point.z > -1 && point.z < 1 && Math.abs(point.x) <= 1 && Math.abs(point.y) <= 1;
      shown.label.hidden = !onScreen;
      shown.label.style.transform = `translate(${rect.left + ((point.x + 1) / 2) * rect.width}px, ${rect.top + ((1 - point.y) / 2) * rect.height}px) translate(-50%, -150%)`;
    }
    for (const [player, shown] of this.shown) if (!seen.has(player)) this.drop(player, shown);
  }

  dispose(): void {
    for (const [player, shown] of this.shown) this.drop(player, shown);
  }

  private shownFor(other: OthersSelection, canvas: HTMLCanvasElement): Shown {
    let shown = this.shown.get(other.player);
    if (!shown) {
      const label = document.createElement("div");
      label.className = "selection-label";
      label.dataset.testid = "selection-label";
      (canvas.parentElement ?? document.body).appendChild(label);
      shown = { outline: new SelectionOutline(other.colour), label };
      this.root.add(shown.outline.object);
      this.shown.set(other.player, shown);
    }
    // Text, never HTML: names come from other players.
    shown.label.textContent = other.name;
    shown.label.style.background = other.colour;
    shown.outline.setColor(other.colour);
    return shown;
  }

  private drop(player: string, shown: Shown): void {
    this.root.remove(shown.outline.object);
    shown.outline.dispose();
    shown.label.remove();
    this.shown.delete(player);
  }
}
