import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as ColyseusClient } from "@colyseus/sdk";
import { makePrim, presetShape } from "@tessera/prims";
import { ClientMessage, ErrorCode, RelayMessage, type ErrorMessage, type SelectedMessage } from "@tessera/protocol";
import { WorldClient, selectionColour, type OthersSelection } from "@tessera/sdk";
import type { Relay } from "../src/relay.ts";
import { newSession, startTestRelay, waitFor } from "./harness.ts";

const SPAWN_TILE = "tile_2_2";
/** Prims 1-3 stand in the spawn tile, prim 4 in its western neighbour (tile_1_2), which players at the spawn point watch too. */
const WORLD = [
  makePrim(1, presetShape("box"), { x: 140, y: 0.5, z: 140 }),
  makePrim(2, presetShape("box"), { x: 142, y: 0.5, z: 140 }),
  makePrim(3, presetShape("box"), { x: 144, y: 0.5, z: 140 }),
  makePrim(4, presetShape("box"), { x: 120, y: 0.5, z: 140 }),
];

let relay: Relay;
let ada: WorldClient;
let bob: WorldClient;
let cy: WorldClient | undefined;

const connect = (name: string) => WorldClient.connect({ endpoint: relay.url, name, viewRadius: 8, predict: false });

beforeAll(async () => {
  relay = await startTestRelay({}, WORLD);
  [ada, bob] = await Promise.all([connect("Ada"), connect("Bob")]);
  await waitFor("both loaded", () => ada.loaded && bob.loaded);
});
afterAll(async () => {
  await Promise.all([ada?.leave(), bob?.leave(), cy?.leave()]);
  await relay?.stop();
});

/** What `client` shows of others' selections: per player, its name, colour and ids (sorted). */
const seen = (client: WorldClient) => client.selections.list().map((other) => ({ ...other, ids: [...other.ids].sort() }));
const selection = (client: WorldClient, ids: number[]): OthersSelection => ({ player: client.playerId, name: client.name, colour: selectionColour(client.playerId), ids });

/** A bare client of the spawn tile: what it was sent and refused. */
async function rawClient(name: string) {
  const { token, playerId } = await newSession(relay.url, name);
  const colyseus = new ColyseusClient(relay.url);
  colyseus.auth.token = token;
  const room = await colyseus.joinById(SPAWN_TILE, { name });
  const errors: ErrorMessage[] = [];
  const selected: SelectedMessage[] = [];
  room.onMessage(RelayMessage.Error, (error: ErrorMessage) => errors.push(error));
  room.onMessage(RelayMessage.Selected, (message: SelectedMessage) => selected.push(message));
  room.onMessage("*", () => undefined);
  return { room, playerId, errors, selected };
}

describe("selection presence", () => {
  it("shows a player's selection, over tiles, to the others with the selector's name and colour, and its clearing", async () => {
    ada.select([1, 4]);
    await waitFor("Bob to see Ada's selection", () => seen(bob).length === 1 && seen(bob)[0]!.ids.length === 2);
    expect(seen(bob)).toEqual([selection(ada, [1, 4])]);
    expect(ada.selections.list()).toEqual([]);
    ada.select([]);
    await waitFor("Bob to see it cleared", () => bob.selections.list().length === 0);
  });

  it("gives a player who joins the selections already made", async () => {
    ada.select([2, 3]);
    await waitFor("Bob to see Ada's selection", () => seen(bob)[0]?.ids.length === 2);
    cy = await connect("Cy");
    await waitFor("Cy to see Ada's selection", () => seen(cy!).length === 1);
    expect(seen(cy)).toEqual([selection(ada, [2, 3])]);
  });

  it("clears a player's selection when they leave", async () => {
    await ada.leave();
    await waitFor("Bob and Cy to see it go", () => bob.selections.list().length === 0 && cy!.selections.list().length === 0);
  });

  it("passes on only the ids the tile holds, and not back to the selector", async () => {
    const [selector, watcher] = await Promise.all([rawClient("Selector"), rawClient("Watcher")]);
    selector.room.send(ClientMessage.Select, { ids: [4, 1, 999_999, 1] });
    await waitFor("the watcher to see the selection", () => watcher.selected.length > 0);
    expect(watcher.selected).toEqual([{ player: selector.playerId, name: "Selector", ids: [1] }]);
    await waitFor("Bob to see it", () => seen(bob).length === 1);
    expect(selector.selected).toEqual([]);
    expect(selector.errors).toEqual([]);
    await Promise.all([selector.room.leave(), watcher.room.leave()]);
    await waitFor("Bob to see it go", () => bob.selections.list().length === 0);
  });

  it("refuses a malformed select with a clear error, and nothing changes", async () => {
    const shown: (readonly OthersSelection[])[] = [];
    const stop = bob.selections.subscribe(() => shown.push(bob.selections.list()));
    const cases = [
      [{ ids: ["1", 2] }, /ids\.0/],
      [{ ids: Array.from({ length: 300 }, (_, i) => i + 1) }, /at most 256 prims/],
      [{ ids: [1], colour: "#ff0000" }, /colour/],
      [{ ids: [0] }, /ids\.0/],
      [[1, 2], /object/],
    ] as const;
    const senders = await Promise.all(cases.map((_, i) => rawClient(`Malformed-${i}`)));
    for (const [i, [payload, says]] of cases.entries()) {
      const sender = senders[i]!;
      sender.room.send(ClientMessage.Select, payload);
      const [error] = await waitFor("the refusal", () => sender.errors.length > 0 && sender.errors);
      expect(error).toMatchObject({ code: ErrorCode.BadMessage, type: ClientMessage.Select });
      expect(error!.message).toMatch(says);
    }
    // The same sockets' next, valid, selects are the only changes anyone sees.
    for (const sender of senders) sender.room.send(ClientMessage.Select, { ids: [3] });
    await waitFor("Bob to see the valid selects", () => bob.selections.list().length === senders.length);
    expect(shown).toHaveLength(senders.length);
    expect(bob.selections.list().every((other) => other.ids.length === 1 && other.ids[0] === 3)).toBe(true);
    stop();
    await Promise.all(senders.map((sender) => sender.room.leave()));
  });

  it("rate limits a flood of selects: the burst is passed on, the rest refused", async () => {
    const [flooder, watcher] = await Promise.all([rawClient("Flooder"), rawClient("Watcher")]);
    for (let i = 0; i < 40; i++) flooder.room.send(ClientMessage.Select, { ids: [1 + (i % 2)] });
    await waitFor("the refusal", () => flooder.errors.length > 0);
    expect(flooder.errors[0]).toMatchObject({ code: ErrorCode.RateLimited, type: ClientMessage.Select });
    await waitFor("the burst to arrive", () => watcher.selected.length >= 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 20 at once, and the few the bucket refilled while the flood came in.
    expect(watcher.selected.length).toBeLessThanOrEqual(22);
    await Promise.all([flooder.room.leave(), watcher.room.leave()]);
  });
});
