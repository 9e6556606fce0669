import { afterAll, describe, expect, it } from "vitest";
import { makePrim, presetShape } from "@tessera/prims";
import { WorldClient } from "@tessera/sdk";
import { TEST_DATABASE_URL, requirePostgres, testSchemas } from "@tessera/store/testing";
import type { Relay } from "../src/relay.ts";
import { startTestRelay, waitFor } from "./harness.ts";

const postgres = await requirePostgres("the PostgreSQL world tests");
const schemas = testSchemas(postgres);

afterAll(async () => {
  await schemas.dropAll();
  await postgres?.end();
});

describe.skipIf(!postgres)("a world kept in PostgreSQL", () => {
  it("is written once, and keeps every edit across a restart of the relay", async () => {
    const config = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schemas.next() };
    const first = makePrim(1, presetShape("torus"), { x: 140, y: 1, z: 140 });
    let relay: Relay = await startTestRelay(config, [first]);
    let made: number[];
    try {
      const ada = await WorldClient.connect({ endpoint: relay.url, name: "Ada", viewRadius: 8, predict: false });
      await waitFor("loaded", () => ada.loaded);
      made = (await ada.edit([{ op: "create", prim: { position: { x: 135, y: 1, z: 135 }, shape: presetShape("cone") } }])).created;
      await ada.edit([{ op: "change", id: made[0], to: { scale: { x: 2, y: 2, z: 2 } } }]);
      await ada.leave();
    } finally {
      await relay.stop();
    }
    // Started again on another data directory: the world is in the database, not on this disk; the
    // world it is given to start with does not replace it.
    relay = await startTestRelay(config, [makePrim(1, presetShape("box"), { x: 150, y: 1, z: 150 })]);
    try {
      const bob = await WorldClient.connect({ endpoint: relay.url, name: "Bob", viewRadius: 8, predict: false });
      await waitFor("loaded", () => bob.loaded);
      expect(bob.prims.get(made[0]!)).toMatchObject({ scale: { x: 2, y: 2, z: 2 } });
      expect(bob.prims.get(1)).toEqual(first);
      await bob.leave();
    } finally {
      await relay.stop();
    }
  });
});
