import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHAT_BURST, ClientMessage, ErrorCode, Keys, tileId, tileOf, type OpenTileResponse, type TilesResponse } from "@tessera/protocol";
import type { Room } from "@colyseus/sdk";
import { WorldClient } from "@tessera/sdk";
import { readRelayConfig } from "../src/config.ts";
import type { Relay } from "../src/relay.ts";
import { requireRedis, startRelayProcess, type RelayProcess } from "./cluster-harness.ts";
import { startTestRelay, waitFor, walk } from "./harness.ts";

/** Players arrive 5 m west of the border between tile_1_1 and tile_2_1 (x = 128), on open ground. */
const SPAWN = { x: 123, z: 96 };
const EAST = Math.PI / 2;
const REDIS_URL = "redis://127.0.0.1:6379/13";

const position = (client: WorldClient) => ({ x: client.ownAvatar!.x, y: client.ownAvatar!.y, z: client.ownAvatar!.z });
const distance = (a: WorldClient, b: WorldClient) => {
  const [p, q] = [position(a), position(b)];
  return Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
};
const heard = (client: WorldClient, text: string) => client.chat.lines().some((line) => line.text === text);
/** Says a line straight to the room of the client's avatar, as a client that keeps no allowance of its own would. */
const sendPastTheSdk = (client: WorldClient, text: string) => (client as unknown as { authority: { room: Room } }).authority.room.send(ClientMessage.Chat, { channel: "say", text });

/**
 * Ada stays 5 m west of a border; Bea runs about 12 m east (into the next tile), Cai about 35 m.
 * Ada's say reaches Bea across the border, not Cai; her whisper reaches neither; her shout both.
 * Everyone hears a line once, the speaker too; a sixth line at once is refused and goes nowhere.
 */
async function conversation(url: string): Promise<void> {
  const [ada, bea, cai] = (await Promise.all(["Ada", "Bea", "Cai"].map((name) => WorldClient.connect({ endpoint: url, name, viewRadius: 8 })))) as [WorldClient, WorldClient, WorldClient];
  try {
    await Promise.all([ada, bea, cai].map((client) => waitFor("a first snapshot", () => client.ownAvatar)));
    await Promise.all([walk(bea, Keys.Forward | Keys.Run, 55, EAST), walk(cai, Keys.Forward | Keys.Run, 160, EAST)]);
    // Until they have stopped and their avatars have settled in their tiles.
    await waitFor("Bea and Cai to stand in the next tile", () => bea.authorityTile === "tile_2_1" && cai.authorityTile === "tile_2_1", 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tileId(tileOf(position(ada).x, position(ada).z, 64))).toBe("tile_1_1");
    expect(distance(ada, bea)).toBeGreaterThan(10.5);
    expect(distance(ada, bea)).toBeLessThan(19);
    expect(distance(ada, cai)).toBeGreaterThan(30);

    ada.say("say", "  hello across the border  ");
    await waitFor("Bea to hear Ada's say", () => heard(bea, "hello across the border"));
    await waitFor("Ada to hear herself", () => heard(ada, "hello across the border"));
    const line = bea.chat.lines().find((entry) => entry.text === "hello across the border")!;
    expect(line).toMatchObject({ channel: "say", speaker: { id: ada.playerId, name: "Ada" } });
    expect(Math.hypot(line.at.x - position(ada).x, line.at.z - position(ada).z)).toBeLessThan(0.5);

    ada.say("whisper", "a secret");
    ada.say("shout", "everybody!");
    await waitFor("Cai to hear the shout", () => heard(cai, "everybody!"));
    await waitFor("Bea to hear the shout", () => heard(bea, "everybody!"));
    await waitFor("Ada to hear her whisper", () => heard(ada, "a secret"));
    // Lines arrive in the order said: had the say or the whisper reached Cai or Bea, it would be here by now.
    expect(heard(cai, "hello across the border")).toBe(false);
    expect(heard(bea, "a secret") || heard(cai, "a secret")).toBe(false);
    for (const client of [ada, bea, cai]) expect(new Set(client.chat.lines().map((entry) => entry.text)).size).toBe(client.chat.lines().length);

    // Three said of five at once: two more go; the SDK refuses the sixth, and the relay one sent past it.
    for (let i = 4; i <= CHAT_BURST; i++) ada.say("say", `line ${i}`);
    expect(() => ada.say("say", "line 6")).toThrow(`at most ${CHAT_BURST} lines at once`);
    sendPastTheSdk(ada, "line 7");
    await waitFor("the relay's refusal of the seventh line", () => ada.errors().find((error) => error.code === ErrorCode.RateLimited && error.type === ClientMessage.Chat));
    await waitFor("Bea to hear the fifth line", () => heard(bea, `line ${CHAT_BURST}`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const text of ["line 6", "line 7"]) expect(heard(bea, text) || heard(ada, text)).toBe(false);

    // What the relay would refuse is refused before it is sent.
    expect(() => ada.say("say", "   ")).toThrow(/empty/);
    expect(() => ada.say("say", "two\nlines")).toThrow(/control or invisible/);
  } finally {
    await Promise.all([ada, bea, cai].map((client) => client.leave()));
  }
}

describe("local chat on one relay", () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay({ world: readRelayConfig({ SPAWN: `${SPAWN.x},${SPAWN.z}` }, []).world }, []);
  });
  afterAll(() => relay?.stop());

  it("is heard within range across a tile border, once each, and the speaker's allowance holds", () => conversation(relay.url), 60_000);
});

const redis = await requireRedis(REDIS_URL, "the cluster chat test");

describe.skipIf(!redis)("local chat between relay processes", () => {
  let a: RelayProcess;
  let b: RelayProcess;

  beforeAll(async () => {
    await redis!.flushdb();
    const worldPrims = join(await mkdtemp(join(tmpdir(), "tessera-world-")), "prims.json");
    await writeFile(worldPrims, "[]");
    const env = { SPAWN: `${SPAWN.x},${SPAWN.z}`, WORLD_PRIMS: worldPrims };
    [a, b] = await Promise.all([startRelayProcess(REDIS_URL, redis!, env), startRelayProcess(REDIS_URL, redis!, env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    redis?.disconnect();
  });

  it("crosses a border between tiles on two relays", async () => {
    const tiles = (await (await fetch(`${a.url}/api/tiles`)).json()) as TilesResponse;
    const west = tiles.tiles.find((tile) => tile.id === "tile_1_1")!;
    const east = (await (await fetch(`${a.url}/api/tiles/tile_2_1/open`, { method: "POST" })).json()) as OpenTileResponse;
    expect(east.process).not.toBe(west.process);
    await conversation(a.url);
  }, 90_000);
});
