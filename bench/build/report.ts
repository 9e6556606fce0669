import type { Row } from "@tessera/bots";
import type { BuildScenario } from "../../apps/client/src/gallery/BuildProbe.tsx";
import type { DragRun } from "./network.ts";
import type { RenderRun } from "./render.ts";

/** A drag's traffic a second, ours (the gizmo: at most one edit per 100 ms) and the baseline (one edit per pointer move). */
export interface DragTraffic {
  pointerMovesPerS: number;
  editsPerS: number;
  /** Bytes up a second the edit messages took. */
  editBytesPerS: number;
  bytesPerEdit: number;
  /** All bytes up a second during the drag, avatar input and pings included. */
  bytesUpPerS: number;
  idleBytesUpPerS: number;
  undoStepsAdded: number;
  refusedEdits: number;
  baseline: { editsPerS: number; editBytesPerS: number };
}

export function dragTraffic(run: DragRun): DragTraffic {
  const pointerMovesPerS = run.pointerMoves / run.dragSeconds;
  const bytesPerEdit = run.editBytes / run.editFrames;
  return {
    pointerMovesPerS,
    editsPerS: run.edits / run.dragSeconds,
    editBytesPerS: run.editBytes / run.dragSeconds,
    bytesPerEdit,
    bytesUpPerS: run.bytesUp / run.dragSeconds,
    idleBytesUpPerS: run.idleBytesUp / run.idleSeconds,
    undoStepsAdded: run.undoDepthAfter - run.undoDepthBefore,
    refusedEdits: run.refused,
    baseline: { editsPerS: pointerMovesPerS, editBytesPerS: pointerMovesPerS * bytesPerEdit },
  };
}

/** Pointer moves a second with a real mouse on a display drawing 60 frames a second (Chromium delivers at most one a frame). */
const DISPLAY_MOVES_PER_S = 60;
/** The gizmo's cap on edits a drag sends: one per 100 ms (gizmo.ts). */
const GIZMO_EDITS_PER_S = 10;

const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : "-");
/** `a` against `b` as "12.3x"; "-" where that says nothing (both nought) and "inf" where only `b` is nought. */
const times = (a: number, b: number) => (b === 0 ? (a === 0 ? "-" : "inf") : `${round(a / b)}x`);

const LABELS: Record<BuildScenario, string> = {
  idle: "idle (reference)",
  drag: "drag 1 prim: ours (preview its instance)",
  "drag-rebuild": "drag 1 prim: baseline (refill batches)",
  outline: "selected: ours (one line mesh)",
  "outline-per-prim": "selected: baseline (box object per prim)",
};

const renderRow = (run: RenderRun): Row => ({
  scenario: LABELS[run.scenario],
  frameMsP50: round(run.frameMsP50),
  frameMsP95: round(run.frameMsP95),
  gpuMsP50: round(run.gpuMsP50),
  drawCalls: run.drawCalls,
  addedPerFrame: round(run.instancesAdded),
  removedPerFrame: round(run.instancesRemoved),
  matrixWritesPerFrame: round(run.matrixWrites),
});

const ratioRow = (label: string, baseline: RenderRun, ours: RenderRun): Row => ({
  scenario: label,
  frameMsP50: times(baseline.frameMsP50, ours.frameMsP50),
  frameMsP95: times(baseline.frameMsP95, ours.frameMsP95),
  gpuMsP50: times(baseline.gpuMsP50, ours.gpuMsP50),
  drawCalls: times(baseline.drawCalls, ours.drawCalls),
  addedPerFrame: times(baseline.instancesAdded, ours.instancesAdded),
  removedPerFrame: times(baseline.instancesRemoved, ours.instancesRemoved),
  matrixWritesPerFrame: times(baseline.matrixWrites, ours.matrixWrites),
});

const byScenario = (runs: readonly RenderRun[], scenario: BuildScenario) => runs.find((run) => run.scenario === scenario)!;

export function renderRows(runs: readonly RenderRun[]): Row[] {
  const [idle, drag, rebuild, outline, perPrim] = (["idle", "drag", "drag-rebuild", "outline", "outline-per-prim"] as const).map((scenario) => byScenario(runs, scenario));
  return [
    renderRow(idle!),
    renderRow(drag!),
    renderRow(rebuild!),
    ratioRow("drag 1 prim: baseline / ours", rebuild!, drag!),
    renderRow(outline!),
    renderRow(perPrim!),
    ratioRow("selected: baseline / ours", perPrim!, outline!),
  ];
}

export function networkRows(traffic: DragTraffic): Row[] {
  return [
    {
      sender: "ours (gizmo: <= 1 edit / 100 ms)",
      pointerMovesPerS: round(traffic.pointerMovesPerS),
      editsPerS: round(traffic.editsPerS),
      editBytesPerS: Math.round(traffic.editBytesPerS),
      bytesPerEdit: Math.round(traffic.bytesPerEdit),
      allBytesUpPerS: Math.round(traffic.bytesUpPerS),
      undoSteps: traffic.undoStepsAdded,
    },
    {
      sender: "baseline (1 edit / pointer move)",
      pointerMovesPerS: round(traffic.pointerMovesPerS),
      editsPerS: round(traffic.baseline.editsPerS),
      editBytesPerS: Math.round(traffic.baseline.editBytesPerS),
      bytesPerEdit: Math.round(traffic.bytesPerEdit),
      allBytesUpPerS: Math.round(traffic.bytesUpPerS - traffic.editBytesPerS + traffic.baseline.editBytesPerS),
      undoSteps: "",
    },
    {
      sender: "baseline / ours",
      pointerMovesPerS: "",
      editsPerS: times(traffic.baseline.editsPerS, traffic.editsPerS),
      editBytesPerS: times(traffic.baseline.editBytesPerS, traffic.editBytesPerS),
      bytesPerEdit: "",
      allBytesUpPerS: times(traffic.bytesUpPerS - traffic.editBytesPerS + traffic.baseline.editBytesPerS, traffic.bytesUpPerS),
      undoSteps: "",
    },
  ];
}

/** What the issue asks to be told: whether one dragged prim rebuilds whole batches, and whether one drag is one undo step. */
export function findings(runs: readonly RenderRun[], prims: number, traffic: DragTraffic): string[] {
  const drag = byScenario(runs, "drag");
  const rebuild = byScenario(runs, "drag-rebuild");
  const rebuilds = drag.instancesAdded > 0 || drag.instancesRemoved > 0;
  return [
    `Dragging 1 prim among ${prims}: ours added ${round(drag.instancesAdded)} and removed ${round(drag.instancesRemoved)} batch instances and wrote ${round(drag.matrixWrites)} instance matrices a frame ` +
      `(${rebuilds ? "it REBUILDS batches" : "no batch rebuilt: only the dragged prim's instances written"}); ` +
      `the refilling baseline added ${round(rebuild.instancesAdded)}, removed ${round(rebuild.instancesRemoved)}, wrote ${round(rebuild.matrixWrites)}.`,
    `One drag, ${round(traffic.editsPerS)} edits/s (${traffic.refusedEdits} refused) for ${round(traffic.pointerMovesPerS)} pointer moves/s: the undo history grew by ${traffic.undoStepsAdded} step(s) (one drag should be one).`,
    `At a display's ${DISPLAY_MOVES_PER_S} pointer moves/s (this software-rendered page gets ${round(traffic.pointerMovesPerS)}), one edit per move would send ${DISPLAY_MOVES_PER_S} edits/s, ` +
      `${Math.round(DISPLAY_MOVES_PER_S * traffic.bytesPerEdit)} B/s; the gizmo at most ${GIZMO_EDITS_PER_S}, ${Math.round(GIZMO_EDITS_PER_S * traffic.bytesPerEdit)} B/s (${round(DISPLAY_MOVES_PER_S / GIZMO_EDITS_PER_S)}x fewer).`,
    `Bytes up, all traffic (__world.net()): ${Math.round(traffic.bytesUpPerS)} B/s while dragging, ${Math.round(traffic.idleBytesUpPerS)} B/s standing still in build mode (avatar input, pings).`,
  ];
}
