import { Room, type Client } from "@colyseus/core";
import { ClientMessage, SNAPSHOT_RATE, TICK_RATE, gridBounds, inputMessageSchema, type WorldConfig } from "@tessera/protocol";
import { SimWorld, type AvatarBody } from "@tessera/sim";
import { InputQueue, tickQueues } from "../../apps/relay/src/tiles/input-queue.ts";
import { BASELINE_ROOM, BaselinePlayer, BaselineState } from "./baseline-state.ts";
import type { TickTimes } from "../../apps/relay/src/tiles/tick-times.ts";

/** What the baseline room runs on, passed as the room type's default options. */
export interface BaselineServices {
  world: WorldConfig;
  /** Each tick's work: the simulation step plus the patches Colyseus sent since the tick before. */
  times: TickTimes;
}

interface BaselineAvatar {
  readonly body: AvatarBody;
  readonly inputs: InputQueue;
  readonly player: BaselinePlayer;
}

/**
 * The plain Colyseus pattern the bandwidth benchmark compares against: the same movement as a tile
 * (the shared sim step at 30 Hz, from the same `input` messages, through the relay's own input queue)
 * but every avatar's float32 position in the room state, patched to every client 15 times a second.
 * No prims, no interest management, no auth.
 */
export class BaselineRoom extends Room<{ state: BaselineState }> {
  override autoDispose = false;
  override patchRate = 1000 / SNAPSHOT_RATE;

  private services!: BaselineServices;
  private sim!: SimWorld;
  private readonly avatars = new Map<string, BaselineAvatar>();
  /** Time spent in patches since the last tick, ms. */
  private patchMs = 0;
  private tick = 0;

  override async onCreate(options: { services: BaselineServices }): Promise<void> {
    this.services = options.services;
    this.roomId = BASELINE_ROOM;
    this.state = new BaselineState();
    this.sim = await SimWorld.create();
    this.sim.addTerrain(gridBounds(this.services.world.grid, this.services.world.tileSize));
    this.onMessage(ClientMessage.Input, (client: Client, message: unknown) => {
      const input = inputMessageSchema.safeParse(message);
      if (input.success) this.avatars.get(client.sessionId)?.inputs.push(input.data);
    });
    this.setFixedTimestep(() => this.step(), TICK_RATE);
  }

  override onJoin(client: Client): void {
    const { spawn } = this.services.world;
    const body = this.sim.standAvatar(spawn.x, spawn.z);
    const player = new BaselinePlayer({ x: body.state.x, y: body.state.y, z: body.state.z, yaw: 0 });
    this.avatars.set(client.sessionId, { body, inputs: new InputQueue(), player });
    this.state.players.set(client.sessionId, player);
  }

  override onLeave(client: Client): void {
    const avatar = this.avatars.get(client.sessionId);
    if (!avatar) return;
    this.avatars.delete(client.sessionId);
    this.state.players.delete(client.sessionId);
    this.sim.removeAvatar(avatar.body);
  }

  override onDispose(): void {
    this.sim.dispose();
  }

  override broadcastPatch(): boolean {
    const started = performance.now();
    const sent = super.broadcastPatch();
    this.patchMs += performance.now() - started;
    return sent;
  }

  private step(): void {
    const started = performance.now();
    // The relay's input loop, catching up included.
    const avatars = [...this.avatars.values()];
    tickQueues(avatars, (avatar, input) => this.sim.stepAvatar(avatar.body, input.keys, input.yaw), this.tick++);
    for (const avatar of avatars) {
      if (avatar.inputs.quiet && !avatar.body.state.grounded) this.sim.stepAvatar(avatar.body, 0, avatar.body.state.facing);
    }
    this.sim.step();
    for (const { body, player } of this.avatars.values()) {
      player.x = body.state.x;
      player.y = body.state.y;
      player.z = body.state.z;
      player.yaw = body.state.facing;
    }
    this.services.times.record(performance.now() - started + this.patchMs);
    this.patchMs = 0;
  }
}
