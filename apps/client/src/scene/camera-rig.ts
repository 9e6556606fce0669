import { wrapAngle } from "@tessera/protocol";

const MIN_PITCH = -0.2;
const MAX_PITCH = 1.2;
const MIN_DISTANCE = 2;
const MAX_DISTANCE = 30;

/**
 * The third-person camera's orbit around the own avatar. `yaw` is the heading the camera looks
 * along (0 = +z, PI/2 = +x), and so what "forward" means for the player's input.
 */
export class CameraRig {
  yaw = 0;
  /** Radians above the horizon. */
  pitch = 0.35;
  distance = 7;
  /** What the camera looks at instead of the avatar (build mode's F), until {@link release}. */
  target: { x: number; y: number; z: number } | undefined;

  /** Drag by (dx, dy) pixels: right turns the view right, up looks down on the avatar. */
  orbit(dx: number, dy: number): void {
    this.yaw = wrapAngle(this.yaw - dx * 0.005);
    this.pitch = Math.min(MAX_PITCH, Math.max(MIN_PITCH, this.pitch + dy * 0.004));
  }

  zoom(wheelDelta: number): void {
    this.distance = Math.min(MAX_DISTANCE, Math.max(MIN_DISTANCE, this.distance * Math.exp(wheelDelta * 0.001)));
  }

  /** Looks at `point` from far enough to see a thing of `radius` metres whole. */
  focusOn(point: { x: number; y: number; z: number }, radius: number): void {
    this.target = { x: point.x, y: point.y, z: point.z };
    this.distance = Math.min(MAX_DISTANCE, Math.max(MIN_DISTANCE, radius * 3));
  }

  /** Back to following the avatar. */
  release(): void {
    this.target = undefined;
  }

  /** Where the camera sits for a focus point, written into `out`. */
  eye(focus: { x: number; y: number; z: number }, out: { x: number; y: number; z: number }): void {
    const horizontal = Math.cos(this.pitch) * this.distance;
    out.x = focus.x - Math.sin(this.yaw) * horizontal;
    out.y = focus.y + Math.sin(this.pitch) * this.distance;
    out.z = focus.z - Math.cos(this.yaw) * horizontal;
  }
}
