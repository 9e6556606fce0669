import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import type { BuildTools, Selection } from "@tessera/build";
import {
  HOLE_SHAPES,
  MAX_SCALE,
  MIN_SCALE,
  PATH_CURVES,
  PROFILE_CURVES,
  SHAPE_NUMBERS,
  faceStyleAt,
  normalizeShape,
  paramRange,
  presetOf,
  setShapeParam,
  shapeKind,
  type FaceStyle,
  type Prim,
  type PrimShape,
  type ShapeNumber,
} from "@tessera/prims";
import type { EditOp, PrimFields } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";
import type { BuildNotice } from "./build-notice.ts";
import { FieldSender } from "./field-sender.ts";
import { copied, copy, duplicate, link, remove, unlink } from "./object-actions.ts";
import { TexturePicker } from "./TexturePicker.tsx";
import { eulerDegrees, faceCount, fromEulerDegrees, hexOf, ownerName, rgbaOf, withFace } from "./prim-fields.ts";

const AXES = ["x", "y", "z"] as const;
const LABELS: Record<ShapeNumber, string> = {
  profileBegin: "Cut begin",
  profileEnd: "Cut end",
  hollow: "Hollow",
  pathBegin: "Slice begin",
  pathEnd: "Slice end",
  twistBegin: "Twist begin",
  twistEnd: "Twist end",
  taperX: "Taper X",
  taperY: "Taper Y",
  shearX: "Shear X",
  shearY: "Shear Y",
  holeSizeX: "Hole size X",
  holeSizeY: "Hole size Y",
  radiusOffset: "Radius offset",
  revolutions: "Revolutions",
  skew: "Skew",
};

interface PanelProps {
  client: WorldClient;
  tools: BuildTools;
  selection: Selection;
  notice: BuildNotice;
  face: number;
  onFace: (face: number) => void;
}

/** The prim a field edits as the client shows it now, re-read on every change of the prim set. */
function usePrim(client: WorldClient, id: number | undefined): Prim | undefined {
  const version = useSyncExternalStore(
    (listener) => client.prims.listen(listener),
    () => (id === undefined ? undefined : client.prims.get(id)),
  );
  return version;
}

/**
 * A number typed into a field: sent when the builder presses Enter or leaves the field, held within
 * `min`-`max`; the field shows the prim's value again when it changes elsewhere.
 */
function NumberField({ label, testId, value, min, max, step, disabled, onCommit }: { label: string; testId: string; value: number; min: number; max: number; step: number; disabled: boolean; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The prim changed elsewhere: show its value (React's way to follow a prop in state).
    setShown(value);
    setText(String(value));
  }
  const commit = () => {
    const number = Number(text);
    if (text.trim() === "" || !Number.isFinite(number)) return setText(String(value));
    const held = Math.min(max, Math.max(min, number));
    if (held !== number) setText(String(held));
    if (held !== value) onCommit(held);
  };
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        inputMode="decimal"
        data-testid={testId}
        aria-label={label}
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
          if (event.key === "Escape") setText(String(value));
        }}
      />
    </label>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="panel-section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

/**
 * The build panel (right side, under the toolbar): the last selected prim's owner, position,
 * rotation and size, every shape parameter (sliders and number fields held to the limits that depend
 * on the others), its faces (colour with alpha, full bright, texture repeats, offset and rotation;
 * a face picked in the scene is picked here) and the physical flag; link, unlink, duplicate and
 * delete. Read-only, with the owner's name, for a prim the player does not own.
 */
export function BuildPanel({ client, tools, selection, notice, face, onFace }: PanelProps) {
  const ids = useSyncExternalStore(
    (listener) => selection.subscribe(listener),
    () => selection.ids,
  );
  const prim = usePrim(client, selection.root);
  const [sender] = useState(() => new FieldSender(client, notice));
  useEffect(() => () => sender.dispose(), [sender]);
  if (!prim) return null;

  const readOnly = prim.owner !== client.playerId;
  const faces = faceCount(prim);
  const shownFace = face < faces ? face : -1;
  const style = faceStyleAt(prim, Math.max(0, shownFace));
  const change = (field: string, to: PrimFields, sliding = false) => sender.send(`${field}@${prim.id}`, [{ op: "change", id: prim.id, to } satisfies EditOp], sliding);
  const setShape = (shape: PrimShape, sliding = false) => change("shape", { shape }, sliding);
  const setFaces = (field: string, edit: (style: FaceStyle) => FaceStyle) => change(`face-${field}-${shownFace}`, { faces: withFace(prim, shownFace, edit) });
  const act = (action: () => Promise<void>) => void action().catch((error: unknown) => notice.refused(error));
  const rotation = eulerDegrees(prim.rotation);
  const grid = tools.settings.grid;

  return (
    <aside className="build-panel" data-testid="build-panel" aria-label="Selected prim">
      <header className="panel-head">
        <strong>{presetOf(prim.shape) ?? shapeKind(prim.shape)}</strong> <span className="muted">#{prim.id}</span>
        {ids.length > 1 && <span className="muted"> · {ids.length} selected</span>}
        <div data-testid="prim-owner" className={readOnly ? "owner owner-other" : "owner"}>
          {readOnly ? `Owned by ${ownerName(client, prim.owner)}: read-only` : "Yours"}
        </div>
      </header>
      <div className="panel-actions" role="group" aria-label="Object">
        <button type="button" data-testid="action-link" disabled={readOnly || ids.length < 2} onClick={() => act(() => link(client, selection))}>
          Link
        </button>
        <button type="button" data-testid="action-unlink" disabled={readOnly} onClick={() => act(() => unlink(client, selection))}>
          Unlink
        </button>
        <button type="button" data-testid="action-duplicate" onClick={() => act(() => duplicate(client, selection, grid))}>
          Duplicate <kbd>Ctrl+D</kbd>
        </button>
        <button type="button" data-testid="action-copy" onClick={() => notice.show(copied(copy(client, selection)))}>
          Copy
        </button>
        <button type="button" data-testid="action-delete" disabled={readOnly} onClick={() => act(() => remove(client, selection))}>
          Delete
        </button>
      </div>
      <fieldset className="panel-body" disabled={readOnly}>
        <Section title="Position (m)">
          {AXES.map((axis) => (
            <NumberField key={axis} label={axis.toUpperCase()} testId={`field-position-${axis}`} value={prim.position[axis]} min={-1e6} max={1e6} step={grid} disabled={readOnly} onCommit={(value) => change(`position-${axis}`, { position: { ...prim.position, [axis]: value } })} />
          ))}
        </Section>
        <Section title="Rotation (°)">
          {AXES.map((axis) => (
            <NumberField key={axis} label={axis.toUpperCase()} testId={`field-rotation-${axis}`} value={rotation[axis]} min={-360} max={360} step={tools.settings.angle} disabled={readOnly} onCommit={(value) => change(`rotation-${axis}`, { rotation: fromEulerDegrees({ ...rotation, [axis]: value }) })} />
          ))}
        </Section>
        <Section title="Size (m)">
          {AXES.map((axis) => (
            <NumberField key={axis} label={axis.toUpperCase()} testId={`field-size-${axis}`} value={prim.scale[axis]} min={MIN_SCALE} max={MAX_SCALE} step={grid} disabled={readOnly} onCommit={(value) => change(`size-${axis}`, { scale: { ...prim.scale, [axis]: value } })} />
          ))}
        </Section>
        <Section title="Shape">
          <div className="field-row">
            {(
              [
                ["profile", PROFILE_CURVES],
                ["hole", HOLE_SHAPES],
                ["path", PATH_CURVES],
              ] as const
            ).map(([name, options]) => (
              <label key={name} className="field">
                <span>{name[0]!.toUpperCase() + name.slice(1)}</span>
                <select data-testid={`shape-${name}`} aria-label={name} value={prim.shape[name]} disabled={readOnly} onChange={(event) => setShape(normalizeShape({ ...prim.shape, [name]: event.target.value }))}>
                  {options.map((option) => (
                    <option key={option}>{option}</option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          {SHAPE_NUMBERS.map((name) => {
            const range = paramRange(prim.shape, name);
            if (range.disabled) return null;
            return (
              <div key={name} className="param">
                <NumberField label={LABELS[name]} testId={`param-${name}`} value={prim.shape[name]} min={range.min} max={range.max} step={range.step} disabled={readOnly} onCommit={(value) => setShape(setShapeParam(prim.shape, name, value))} />
                <input
                  type="range"
                  aria-label={`${LABELS[name]} slider`}
                  data-testid={`slider-${name}`}
                  min={range.min}
                  max={range.max}
                  step={range.step}
                  value={prim.shape[name]}
                  disabled={readOnly}
                  onChange={(event) => setShape(setShapeParam(prim.shape, name, Number(event.target.value)), true)}
                />
              </div>
            );
          })}
        </Section>
        <Section title="Faces">
          <label className="field">
            <span>Face</span>
            <select data-testid="face-select" aria-label="Face" value={shownFace} onChange={(event) => onFace(Number(event.target.value))}>
              <option value={-1}>All faces</option>
              {Array.from({ length: faces }, (_, i) => (
                <option key={i} value={i}>
                  Face {i}
                </option>
              ))}
            </select>
          </label>
          <div className="field-row">
            <label className="field">
              <span>Colour</span>
              <input type="color" data-testid="face-color" aria-label="Face colour" value={hexOf(style.color)} disabled={readOnly} onChange={(event) => setFaces("color", (s) => ({ ...s, color: rgbaOf(event.target.value, s.color.a) }))} />
            </label>
            <NumberField label="Alpha" testId="face-alpha" value={style.color.a} min={0} max={255} step={1} disabled={readOnly} onCommit={(value) => setFaces("alpha", (s) => ({ ...s, color: { ...s.color, a: Math.round(value) } }))} />
            <label className="field check">
              <input type="checkbox" data-testid="face-bright" checked={style.fullBright} disabled={readOnly} onChange={(event) => setFaces("bright", (s) => ({ ...s, fullBright: event.target.checked }))} />
              <span>Full bright</span>
            </label>
          </div>
          <TexturePicker client={client} value={style.texture} disabled={readOnly} notice={notice} onPick={(id) => setFaces("texture", (s) => ({ ...s, texture: id }))} />
          <div className="field-row">
            {(["u", "v"] as const).map((axis) => (
              <NumberField key={axis} label={`Repeats ${axis.toUpperCase()}`} testId={`face-repeats-${axis}`} value={style.repeats[axis]} min={-100} max={100} step={0.01} disabled={readOnly} onCommit={(value) => setFaces(`repeats-${axis}`, (s) => ({ ...s, repeats: { ...s.repeats, [axis]: value } }))} />
            ))}
          </div>
          <div className="field-row">
            {(["u", "v"] as const).map((axis) => (
              <NumberField key={axis} label={`Offset ${axis.toUpperCase()}`} testId={`face-offset-${axis}`} value={style.offset[axis]} min={-1} max={1} step={0.001} disabled={readOnly} onCommit={(value) => setFaces(`offset-${axis}`, (s) => ({ ...s, offset: { ...s.offset, [axis]: value } }))} />
            ))}
            <NumberField label="Turn °" testId="face-rotation" value={style.rotation} min={-360} max={360} step={0.1} disabled={readOnly} onCommit={(value) => setFaces("rotation", (s) => ({ ...s, rotation: value }))} />
          </div>
        </Section>
        <label className="field check">
          <input type="checkbox" data-testid="field-physical" checked={prim.physical} disabled={readOnly} onChange={(event) => change("physical", { physical: event.target.checked })} />
          <span>Physical (falls and can be pushed)</span>
        </label>
      </fieldset>
    </aside>
  );
}
