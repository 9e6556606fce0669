import type { Rect, WorldInfo } from "@tessera/protocol";
import { WorldClient, type LagOptions } from "@tessera/sdk";
import { walkArea } from "./area.ts";
import { Bot } from "./bot.ts";
import type { BotLink } from "./link.ts";
import type { Steering } from "./steering.ts";
import type { BotSwarm } from "./swarm.ts";
import { Walker } from "./walker.ts";

/** The relay did not answer at all: nothing listens at the endpoint. */
export class NoRelayError extends Error {
  override name = "NoRelayError";
}

/** A bot's link through the real client SDK: the browser's protocol, inputs, prediction and all. */
export function worldLink(client: WorldClient): BotLink {
  return {
    position: () => client.predicted ?? client.ownAvatar,
    send: ({ keys, yaw }) => client.sendInput(keys, yaw),
    counters: () => {
      const net = client.net;
      return { bytesDown: net.bytesDown, bytesUp: net.bytesUp, snapshots: net.snapshots };
    },
    prediction: () => {
      if (!client.predicted) return undefined;
      const net = client.net;
      return { p50Cm: net.predictionErrorCm.p50, p99Cm: net.predictionErrorCm.p99, correctionsPerMinute: net.correctionsPerMinute };
    },
    leave: () => client.leave(),
  };
}

/** What a Tessera bot connects with. */
export interface WorldBotOptions {
  /** The relay's base URL, e.g. `http://localhost:2567`. */
  endpoint: string;
  name: string;
  /** Predict the own avatar as the browser does (default true); hundreds of bots may leave it off. */
  predict?: boolean;
  /** Track other avatars as the browser does to show them (default true); hundreds of bots may leave it off. */
  others?: boolean;
  lag?: LagOptions;
  /** Tiles within this many metres are joined; the world's view radius by default. */
  viewRadius?: number;
}

/** Connects one bot through {@link WorldClient}: a new guest, in the spawn tile. */
export async function connectWorldBot(options: WorldBotOptions, steering: Steering): Promise<Bot> {
  const client = await WorldClient.connect({
    endpoint: options.endpoint,
    name: options.name,
    predict: options.predict ?? true,
    others: options.others ?? true,
    ...(options.lag ? { lag: options.lag } : {}),
    ...(options.viewRadius ? { viewRadius: options.viewRadius } : {}),
  });
  return new Bot(options.name, worldLink(client), steering);
}

/** Asks the relay for its world; throws {@link NoRelayError} when nothing answers at `endpoint`. */
export async function fetchWorld(endpoint: string): Promise<WorldInfo> {
  const url = new URL("/api/world", endpoint);
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new NoRelayError(`no relay at ${endpoint}; start one with npm start`);
  }
  if (!response.ok) throw new Error(`GET ${url.href}: ${response.status} ${response.statusText}`);
  return (await response.json()) as WorldInfo;
}

/** A swarm of walking Tessera bots. */
export interface WorldBotsOptions {
  endpoint: string;
  count: number;
  /** Display name of bot `index`; `Bot-<index + 1>` by default. */
  name?: (index: number) => string;
  /** Whether bot `index` predicts its own avatar; true for every bot by default. */
  predict?: boolean | ((index: number) => boolean);
  lag?: LagOptions;
  /** Where bots walk; the spawn tile by default (see {@link walkArea}). */
  area?: Rect;
  /** Seeds every bot's walk: the same seed, the same paths. */
  seed?: number;
  /** Connections started per second. */
  perSecond?: number;
}

/** Bot `index`'s own seed, derived from the swarm's. */
export function botSeed(seed: number, index: number): number {
  return (Math.imul(seed, 0x9e3779b1) + index) >>> 0;
}

/**
 * Connects walking bots to the relay at `options.endpoint` over a ramp and adds them to `swarm`.
 * Resolves with the connections that failed; throws {@link NoRelayError} when there is no relay.
 */
export async function joinWorldBots(swarm: BotSwarm, options: WorldBotsOptions): Promise<Error[]> {
  const world = await fetchWorld(options.endpoint);
  const area = walkArea(world, options.area);
  const predict = options.predict ?? true;
  return swarm.ramp(options.count, options.perSecond ?? 20, (index) =>
    connectWorldBot(
      {
        endpoint: options.endpoint,
        name: options.name?.(index) ?? `Bot-${index + 1}`,
        predict: typeof predict === "function" ? predict(index) : predict,
        ...(options.lag ? { lag: options.lag } : {}),
      },
      new Walker(area, botSeed(options.seed ?? 1, index)),
    ),
  );
}
