import type { Client } from "@colyseus/core";
import { RelayMessage, type RightsMessage } from "@tessera/protocol";
import type { WorldRights } from "../world/world-rights.ts";

/**
 * Tells each client of a tile whether its player may build there (the page marks tiles where they
 * may not): when it joins, and again when operators change the rights, only to those it changed for.
 */
export class TileBuildRights {
  private readonly told = new Map<Client, { playerId: string; build: boolean }>();
  private readonly tile: string;
  private readonly rights: WorldRights;
  private seenVersion: number;

  constructor(tile: string, rights: WorldRights) {
    this.tile = tile;
    this.rights = rights;
    this.seenVersion = rights.settingsVersion;
  }

  /** A client joined (or came back). */
  welcome(client: Client, playerId: string): void {
    const build = this.rights.mayBuild(this.tile, playerId);
    this.told.set(client, { playerId, build });
    client.send(RelayMessage.Rights, { build } satisfies RightsMessage);
  }

  release(client: Client): void {
    this.told.delete(client);
  }

  /** Once a tick: after operators changed the rights, tells the clients whose rights here changed. */
  refresh(): void {
    if (this.rights.settingsVersion === this.seenVersion) return;
    this.seenVersion = this.rights.settingsVersion;
    for (const [client, told] of this.told) {
      const build = this.rights.mayBuild(this.tile, told.playerId);
      if (build === told.build) continue;
      told.build = build;
      client.send(RelayMessage.Rights, { build } satisfies RightsMessage);
    }
  }
}
