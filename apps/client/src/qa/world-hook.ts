import type { WebGLRenderer } from "three";
import type { Lod } from "@tessera/prims";
import { EditError, type EditStats, type NetStats, type TileView, type WorldClient } from "@tessera/sdk";
import { tileOf, type ChatChannel } from "@tessera/protocol";
import type { BuildTools, Selection, Tool } from "@tessera/build";
import type { PrimBatches } from "../prims/prim-batches.ts";
import type { TextureSource, TextureStats } from "../textures/texture-source.ts";
import type { TextureTier } from "@tessera/textures";

type Vec3 = [number, number, number];

/** `window.__world`: a read-only view of the page for QA and tests. Documented in the README. */
export interface WorldHook {
  /**
   * The own player where it is shown (predicted), or null before the first update from the relay.
   * `frame` counts rendered frames; `shownAt` is when (performance.now(), ms) this frame's positions,
   * the own and everyone else's, were worked out.
   */
  self(): { id: string; name: string; position: Vec3; tile: [number, number]; frame: number; shownAt: number } | null;
  /** Every other avatar this client knows, where it is shown (interpolated between the relay's snapshots). */
  avatars(): { id: string; name: string; position: Vec3 }[];
  /** Network figures: the F3 overlay's. */
  net(): NetStats | null;
  /** The connection's state; while `reconnecting`, how many attempts to get back were made, since when it is away (ms ago) and why the last failed. */
  connection(): { status: string; rttMs: number; attempts?: number; awayMs?: number; lastError?: string };
  /** Last frame's counts from three's renderer.info, and the pixel ratio rendered at. */
  renderer(): { calls: number; triangles: number; geometries: number; textures: number; pixelRatio: number };
  /** Prims drawn now (`position` in the world; `root` the id of the linkset's root, 0 for a root or a single prim): `owner` is a player id ("" for the world's); shape is the preset's name, or the kind ("box", "torus", ...) for a customised one. */
  prims(): { id: number; owner: string; shape: string; position: Vec3; root: number; lod: Lod }[];
  /** The player's edits: sent and unanswered, acknowledged, refused, the last refusal, and the undo and redo depths. */
  edits(): (EditStats & { undoDepth: number; redoDepth: number }) | null;
  /**
   * Sends an edit through the SDK (operations as the `edit` message's; `squash` joins it to the last
   * undo step of the same key): the ids of its new prims, or why it was refused.
   */
  edit(ops: unknown[], options?: { squash?: string }): Promise<EditAnswer>;
  /** Takes back (or does again) the player's last step: whether there was one, or why it was refused. */
  undo(): Promise<EditAnswer>;
  redo(): Promise<EditAnswer>;
  /**
   * Build mode: whether it is on, the tool, the selected prim ids (the last one picked last), the
   * undo and redo depths, and where the gizmo's centre is on the page (client pixels; null without
   * a selection): a drag from there moves the selection in the view's plane.
   */
  build(): { mode: "walk" | "build"; tool: Tool; selection: number[]; undoDepth: number; redoDepth: number; pivot: [number, number] | null };
  /** Where prim `id`'s centre is drawn on the page (client pixels), or null when it is not drawn or behind the camera: where a click picks it. */
  screenPoint(id: number): [number, number] | null;
  /** The tiles joined (or being joined), nearest first; `authority` marks the one whose room holds the own avatar. */
  tiles(): TileView[];
  /**
   * Texture streaming: bytes and images fetched, textures on the GPU by their best tier, GPU bytes
   * allocated and in use against the budget, fetches queued and under way; `textures` lists each
   * texture on the GPU with the best tier it holds (px).
   */
  textures(): (TextureStats & { textures: { id: string; tier: TextureTier; compressed: boolean }[] }) | null;
  /** Local chat heard, oldest first (the last 200 lines): channel, speaker, text, when it was said (ms since 1970) and how far away (m, from where the own avatar stands now). */
  chat(): { channel: ChatChannel; speakerId: string; speaker: string; text: string; sentAt: number; distance: number }[];
  /** Says a line of local chat, as the chat panel does: sent, or why not (the relay's own refusals come later, in the panel). */
  say(channel: ChatChannel, text: string): { ok: true } | { ok: false; message: string };
}

/** What an edit, undo or redo from the hook came to. */
export type EditAnswer = { ok: true; created?: number[]; done?: boolean } | { ok: false; code: string; message: string };

/** An edit's promise as an {@link EditAnswer}: a refusal is an answer, not an exception. */
async function answer(action: (client: WorldClient) => Promise<{ ok: true; created?: number[]; done?: boolean }>): Promise<EditAnswer> {
  const client = sources.client;
  if (!client) return { ok: false, code: "unavailable", message: "not connected yet" };
  try {
    return await action(client);
  } catch (error) {
    if (error instanceof EditError) return { ok: false, code: error.code, message: error.reason };
    throw error;
  }
}

declare global {
  interface Window {
    readonly __world: WorldHook;
  }
}

const sources: { client?: WorldClient; renderer?: WebGLRenderer; prims?: PrimBatches; textures?: TextureSource; tools?: BuildTools; selection?: Selection; pivot?: [number, number]; screenOf?: (id: number) => [number, number] | undefined } = {};
let frames = 0;

/** Called once per rendered frame. */
export function countFrame(): void {
  frames++;
}

export function registerClient(client: WorldClient | undefined): void {
  sources.client = client;
}

export function registerBuild(tools: BuildTools | undefined, selection: Selection | undefined): void {
  sources.tools = tools;
  sources.selection = selection;
}

/** How to find where a prim is drawn on the page. */
export function registerScreen(screenOf: ((id: number) => [number, number] | undefined) | undefined): void {
  sources.screenOf = screenOf;
}

/** Where the gizmo's centre is on the page, each frame. */
export function registerPivot(pivot: [number, number] | undefined): void {
  sources.pivot = pivot;
}

export function registerRenderer(renderer: WebGLRenderer | undefined): void {
  sources.renderer = renderer;
}

export function registerPrims(prims: PrimBatches | undefined): void {
  sources.prims = prims;
}

export function registerTextures(textures: TextureSource | undefined): void {
  sources.textures = textures;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

const hook: WorldHook = {
  self() {
    const client = sources.client;
    const own = client?.ownShownPosition;
    if (!client || !own) return null;
    const tile = tileOf(own.x, own.z, client.world.tileSize);
    return { id: client.playerId, name: client.name, position: [round(own.x), round(own.y), round(own.z)], tile: [tile.tx, tile.tz], frame: frames, shownAt: client.shownAt };
  },
  avatars() {
    const client = sources.client;
    if (!client) return [];
    return [...client.avatars()].map((a) => ({ id: a.id, name: a.name, position: [round(a.shown.x), round(a.shown.y), round(a.shown.z)] }));
  },
  net() {
    return sources.client?.net ?? null;
  },
  connection() {
    const client = sources.client;
    const away = client?.reconnect;
    return {
      status: client?.status ?? "connecting",
      rttMs: Math.round(client?.rttMs ?? 0),
      ...(away ? { attempts: away.attempt, awayMs: Math.round(performance.now() - away.since), ...(away.lastError ? { lastError: away.lastError } : {}) } : {}),
    };
  },
  renderer() {
    const info = sources.renderer?.info;
    return {
      calls: info?.render.calls ?? 0,
      triangles: info?.render.triangles ?? 0,
      geometries: info?.memory.geometries ?? 0,
      textures: info?.memory.textures ?? 0,
      pixelRatio: sources.renderer?.getPixelRatio() ?? 0,
    };
  },
  tiles() {
    return sources.client?.tiles() ?? [];
  },
  chat() {
    const client = sources.client;
    const at = client?.ownShownPosition;
    return (client?.chat.lines() ?? []).map((line) => ({
      channel: line.channel,
      speakerId: line.speaker.id,
      speaker: line.speaker.name,
      text: line.text,
      sentAt: line.sentAt,
      distance: at ? round(Math.hypot(line.at.x - at.x, line.at.y - at.y, line.at.z - at.z)) : -1,
    }));
  },
  say(channel, text) {
    const client = sources.client;
    if (!client) return { ok: false, message: "not connected yet" };
    try {
      client.say(channel, text);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  },
  textures() {
    const textures = sources.textures;
    return textures ? { ...textures.stats, textures: textures.list() } : null;
  },
  screenPoint(id) {
    return sources.screenOf?.(id) ?? null;
  },
  prims() {
    return (sources.prims?.list() ?? []).map((prim) => ({ ...prim, position: [round(prim.position[0]), round(prim.position[1]), round(prim.position[2])] }));
  },
  edits() {
    return sources.client?.editStats() ?? null;
  },
  edit(ops, options) {
    return answer(async (client) => ({ ok: true, created: (await client.edit(ops, options)).created }));
  },
  undo() {
    return answer(async (client) => ({ ok: true, done: await client.undo() }));
  },
  redo() {
    return answer(async (client) => ({ ok: true, done: await client.redo() }));
  },
  build() {
    const settings = sources.tools?.settings;
    const stats = sources.client?.editStats();
    return {
      mode: settings?.building ? "build" : "walk",
      tool: settings?.tool ?? "move",
      selection: [...(sources.selection?.ids ?? [])],
      undoDepth: stats?.undoDepth ?? 0,
      redoDepth: stats?.redoDepth ?? 0,
      pivot: sources.pivot ?? null,
    };
  },
};

/** Installs `window.__world` once; it cannot be replaced or written to. */
export function exposeWorldHook(): void {
  if ("__world" in window) return;
  Object.defineProperty(window, "__world", { value: Object.freeze(hook), writable: false, configurable: false, enumerable: false });
}
