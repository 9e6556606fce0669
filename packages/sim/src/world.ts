import type { Collider, ColliderDesc, KinematicCharacterController, Ray, RigidBody, Vector, World } from "@dimforge/rapier3d-compat";
import { linkedPlacement, type Prim } from "@tessera/prims";
import type { Rect } from "@tessera/protocol";
import { Keys, TICK_DT } from "@tessera/protocol";
import { AVATAR, BOUNDARY_WALL_HEIGHT, PRIM_PHYSICS } from "./constants.ts";
import { desiredVelocity } from "./movement.ts";
import { primColliderDescs } from "./prim-colliders.ts";
import { loadRapier, type Rapier } from "./rapier.ts";

/** Collision groups: 16 membership bits << 16 | 16 filter bits. */
const GROUP_WORLD = 0x0001;
const GROUP_AVATAR = 0x0002;
const ALL = 0xffff;
const groups = (membership: number, filter: number) => ((membership << 16) | filter) >>> 0;
/** Avatars collide with the world but never with each other (they pass through, as in Second Life's crowds). */
const AVATAR_GROUPS = groups(GROUP_AVATAR, ALL & ~GROUP_AVATAR);
const WORLD_GROUPS = groups(GROUP_WORLD, ALL);

/** The part of an avatar's state that the step reads and writes. Position is at the feet. */
export interface AvatarMotionState {
  x: number;
  y: number;
  z: number;
  /** Vertical speed, m/s, up positive. */
  vy: number;
  grounded: boolean;
  /** Facing, radians, 0 = +z. Follows the direction of travel. */
  facing: number;
  running: boolean;
}

/**
 * A linkset in a {@link SimWorld}. A fixed one is bare colliders placed in the world (a fixed body
 * per linkset would cost every step of the world); a physical one is a body that physics moves, with
 * a collider per prim, whose pose is the root prim's.
 */
export type PrimBody =
  | { readonly id: number; readonly dynamic: false; readonly colliders: readonly Collider[] }
  | { readonly id: number; readonly dynamic: true; readonly body: RigidBody };

/** An avatar in a {@link SimWorld}: its motion state and its capsule. */
export interface AvatarBody {
  readonly state: AvatarMotionState;
  readonly collider: Collider;
}

const centreY = AVATAR.halfHeight + AVATAR.radius;
/** Gap the character controller keeps between the capsule and obstacles. */
const SKIN = 0.02;
/** How far above the feet the ground probe starts, so that it also finds a floor the capsule sank into. */
const PROBE_LIFT = 0.1;
/** A falling avatar lands when the floor is this close. */
const LANDING_REACH = 2 * SKIN;
const CEILING_EPSILON = 1e-4;
/** How far inside an edge the walkability ray looks. */
const EDGE_INSET = 0.02;
const DOWN = { x: 0, y: -1, z: 0 };
const SURFACE_SEARCH_FROM = 512;
const NO_ROTATION = { x: 0, y: 0, z: 0, w: 1 };
const MIN_WALKABLE_NORMAL_Y = Math.cos(AVATAR.maxClimbSlopeRad);

/**
 * One tile's physics: static geometry and avatars, advanced one fixed tick at a time.
 * The relay runs it as the authority; the client runs the same code to predict its own avatar.
 */
export class SimWorld {
  readonly world: World;
  private readonly rapier: Rapier;
  private readonly controller: KinematicCharacterController;
  private readonly scratchDelta = { x: 0, y: 0, z: 0 };
  private readonly scratchRay: Ray;

  private constructor(rapier: Rapier) {
    this.rapier = rapier;
    // Physical prims fall under this; avatars are moved by the character controller with their own gravity.
    this.world = new rapier.World({ x: 0, y: -PRIM_PHYSICS.gravity, z: 0 });
    this.world.timestep = TICK_DT;
    this.scratchRay = new rapier.Ray({ x: 0, y: 0, z: 0 }, DOWN);
    // The controller slides, climbs slopes and steps. Grounding is ours (see probeGround): Rapier's
    // snap-to-ground pulls the capsule into contact, and a capsule that starts in contact ignores
    // that obstacle and sinks through it (dimforge/rapier#613).
    this.controller = this.world.createCharacterController(SKIN);
    this.controller.enableAutostep(AVATAR.maxStepHeight, 0.15, false);
    this.controller.setMaxSlopeClimbAngle(AVATAR.maxClimbSlopeRad);
    this.controller.setMinSlopeSlideAngle(AVATAR.maxClimbSlopeRad);
    this.controller.setApplyImpulsesToDynamicBodies(true);
    this.controller.setCharacterMass(AVATAR.mass);
  }

  /** Creates an empty world (loads Rapier on first use). */
  static async create(): Promise<SimWorld> {
    return new SimWorld(await loadRapier());
  }

  /** Adds a fixed box; `centre` and `halfExtents` in metres. */
  addStaticBox(centre: { x: number; y: number; z: number }, halfExtents: { x: number; y: number; z: number }): Collider {
    const desc = this.rapier.ColliderDesc.cuboid(halfExtents.x, halfExtents.y, halfExtents.z)
      .setTranslation(centre.x, centre.y, centre.z)
      .setCollisionGroups(WORLD_GROUPS);
    return this.world.createCollider(desc);
  }

  /**
   * Adds flat ground at y = 0 over `bounds` and walls just outside its edges, so that nothing walks
   * or falls off the world.
   */
  addTerrain(bounds: Rect): void {
    const width = bounds.maxX - bounds.minX;
    const depth = bounds.maxZ - bounds.minZ;
    const cx = (bounds.minX + bounds.maxX) / 2;
    const cz = (bounds.minZ + bounds.maxZ) / 2;
    const thickness = 1;
    const h = BOUNDARY_WALL_HEIGHT / 2;
    this.addStaticBox({ x: cx, y: -thickness, z: cz }, { x: width / 2 + thickness, y: thickness, z: depth / 2 + thickness });
    this.addStaticBox({ x: bounds.minX - thickness, y: h, z: cz }, { x: thickness, y: h, z: depth / 2 + thickness });
    this.addStaticBox({ x: bounds.maxX + thickness, y: h, z: cz }, { x: thickness, y: h, z: depth / 2 + thickness });
    this.addStaticBox({ x: cx, y: h, z: bounds.minZ - thickness }, { x: width / 2 + thickness, y: h, z: thickness });
    this.addStaticBox({ x: cx, y: h, z: bounds.maxZ + thickness }, { x: width / 2 + thickness, y: h, z: thickness });
    this.refreshQueries();
  }

  /**
   * Adds a linkset: `root` in world coordinates, `children` relative to it. Call
   * {@link refreshQueries} before moving avatars against new fixed linksets.
   */
  addLinkset(root: Prim, children: readonly Prim[] = []): PrimBody {
    const material = (desc: ColliderDesc) =>
      desc.setCollisionGroups(WORLD_GROUPS).setFriction(PRIM_PHYSICS.friction).setRestitution(PRIM_PHYSICS.restitution);
    if (root.physical) {
      const body = this.world.createRigidBody(
        this.rapier.RigidBodyDesc.dynamic()
          .setTranslation(root.position.x, root.position.y, root.position.z)
          .setRotation(root.rotation)
          .setLinearDamping(PRIM_PHYSICS.linearDamping)
          .setAngularDamping(PRIM_PHYSICS.angularDamping)
          .setCcdEnabled(true),
      );
      for (const prim of [root, ...children]) {
        for (const desc of primColliderDescs(this.rapier, prim, prim === root ? undefined : prim, true)) {
          this.world.createCollider(material(desc).setDensity(PRIM_PHYSICS.density), body);
        }
      }
      return { id: root.id, dynamic: true, body };
    }
    const colliders: Collider[] = [];
    for (const prim of [root, ...children]) {
      const placement = prim === root ? root : linkedPlacement(root, prim);
      for (const desc of primColliderDescs(this.rapier, prim, placement, false)) colliders.push(this.world.createCollider(material(desc)));
    }
    return { id: root.id, dynamic: false, colliders };
  }

  /**
   * Adds an avatar standing on the highest surface under (x, z), grounded as a settled avatar stands
   * (the controller's skin above it): nothing to fall, so a client predicting it from its first input
   * agrees with the relay from the start.
   */
  standAvatar(x: number, z: number, facing = 0): AvatarBody {
    const body = this.addAvatar({ x, y: this.surfaceHeightAt(x, z) + SKIN, z }, facing);
    body.state.grounded = true;
    return body;
  }

  /** Takes a linkset and its colliders out of the world. */
  removeLinkset(linkset: PrimBody): void {
    if (linkset.dynamic) this.world.removeRigidBody(linkset.body);
    else for (const collider of linkset.colliders) this.world.removeCollider(collider, false);
  }

  /** Adds an avatar standing with its feet at `at`. */
  addAvatar(at: { x: number; y: number; z: number }, facing = 0): AvatarBody {
    const desc = this.rapier.ColliderDesc.capsule(AVATAR.halfHeight, AVATAR.radius)
      .setTranslation(at.x, at.y + centreY, at.z)
      .setCollisionGroups(AVATAR_GROUPS);
    const collider = this.world.createCollider(desc);
    const state: AvatarMotionState = { x: at.x, y: at.y, z: at.z, vy: 0, grounded: false, facing, running: false };
    return { state, collider };
  }

  removeAvatar(body: AvatarBody): void {
    this.world.removeCollider(body.collider, false);
  }

  /** Puts an avatar at a state (used to reset before replaying inputs). */
  placeAvatar(body: AvatarBody, state: Readonly<AvatarMotionState>): void {
    Object.assign(body.state, state);
    body.collider.setTranslation({ x: state.x, y: state.y + centreY, z: state.z });
  }

  /**
   * Advances one avatar by one tick of input: walk or run along `yaw`, jump from the ground,
   * fall under gravity, slide along walls, climb steps and slopes, follow stairs down.
   */
  stepAvatar(body: AvatarBody, keys: number, yaw: number): void {
    const s = body.state;
    const dt = TICK_DT;
    const horizontal = desiredVelocity(keys, yaw);
    const moving = horizontal.x !== 0 || horizontal.z !== 0;
    const wasGrounded = s.grounded;
    if (s.grounded && keys & Keys.Jump) {
      s.vy = AVATAR.jumpSpeed;
      s.grounded = false;
    }
    if (!s.grounded) s.vy = Math.max(-AVATAR.maxFallSpeed, s.vy - AVATAR.gravity * dt);
    const delta = this.scratchDelta;
    delta.x = horizontal.x * dt;
    delta.y = s.grounded ? 0 : s.vy * dt;
    delta.z = horizontal.z * dt;
    if (delta.x !== 0 || delta.y !== 0 || delta.z !== 0) {
      this.controller.computeColliderMovement(body.collider, delta, undefined, AVATAR_GROUPS);
      const moved = this.controller.computedMovement();
      s.x += moved.x;
      s.y += moved.y;
      s.z += moved.z;
      // Bumped a ceiling: stop rising.
      if (s.vy > 0 && moved.y < delta.y - CEILING_EPSILON) s.vy = 0;
      body.collider.setTranslation({ x: s.x, y: s.y + centreY, z: s.z });
    }
    if (s.vy <= 0) {
      const gap = this.probeGround(body, wasGrounded ? AVATAR.snapToGround : LANDING_REACH);
      if (gap !== undefined) {
        s.y += SKIN - gap;
        s.vy = 0;
        body.collider.setTranslation({ x: s.x, y: s.y + centreY, z: s.z });
      }
      s.grounded = gap !== undefined;
    }
    if (moving) s.facing = Math.atan2(horizontal.x, horizontal.z);
    s.running = moving && (keys & Keys.Run) !== 0;
  }

  /**
   * Distance from the capsule down to walkable ground within `reach` (negative when sunk into it),
   * or undefined when there is none.
   */
  private probeGround(body: AvatarBody, reach: number): number | undefined {
    const at = body.collider.translation();
    at.y += PROBE_LIFT;
    const hit = this.world.castShape(
      at, NO_ROTATION, DOWN, body.collider.shape, 0, PROBE_LIFT + reach,
      // false: a ceiling the lifted capsule overlaps is one it moves away from, so it is ignored.
      false, undefined, AVATAR_GROUPS, body.collider,
    );
    if (!hit) return undefined;
    if (hit.normal1.y < MIN_WALKABLE_NORMAL_Y && !this.walkableBelow(hit.witness1, hit.normal1, body.collider)) return undefined;
    return hit.time_of_impact - PROBE_LIFT;
  }

  /**
   * A round capsule resting on an edge reads a tilted contact normal, as on a steep slope. What
   * tells them apart is the surface just under the contact point, on the solid's side of the edge
   * (against the normal): the top of a step there is walkable, a slope stays steep.
   */
  private walkableBelow(contact: Vector, normal: Vector, exclude: Collider): boolean {
    const length = Math.hypot(normal.x, normal.z) || 1;
    const ray = this.scratchRay;
    ray.origin.x = contact.x - (normal.x / length) * EDGE_INSET;
    ray.origin.y = contact.y + EDGE_INSET;
    ray.origin.z = contact.z - (normal.z / length) * EDGE_INSET;
    const hit = this.world.castRayAndGetNormal(ray, 2 * EDGE_INSET, true, undefined, AVATAR_GROUPS, exclude);
    return hit !== null && hit.normal.y >= MIN_WALKABLE_NORMAL_Y;
  }

  /**
   * Height of the highest solid surface under (x, z), looking down from `fromY`; 0 when there is
   * none. Where to put the feet of an avatar arriving there.
   */
  surfaceHeightAt(x: number, z: number, fromY = SURFACE_SEARCH_FROM): number {
    const ray = new this.rapier.Ray({ x, y: fromY, z }, DOWN);
    const hit = this.world.castRay(ray, fromY + SURFACE_SEARCH_FROM, true, undefined, AVATAR_GROUPS);
    return hit ? fromY - hit.timeOfImpact : 0;
  }

  /** Advances dynamic bodies by one tick and refreshes the structures that movement queries read. */
  step(): void {
    this.world.step();
  }

  /** Makes colliders added since the last step visible to movement queries, without advancing time. */
  refreshQueries(): void {
    this.world.timestep = 0;
    this.world.step();
    this.world.timestep = TICK_DT;
  }

  dispose(): void {
    this.controller.free();
    this.world.free();
  }
}
