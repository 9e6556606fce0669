import { useFrame } from "@react-three/fiber";
import { useRef } from "react";
import type { Group, Vector3 } from "three";
import type { WorldClient } from "@tessera/sdk";
import { wrapAngle } from "@tessera/protocol";
import { useWorldVersion } from "../net/useWorldConnection.ts";
import { AvatarModel } from "./AvatarModel.tsx";

/** Display smoothing towards the latest known state, per second. */
const FOLLOW_RATE = 14;
/** Further than this and the display jumps instead of gliding. */
const SNAP_DISTANCE = 4;

interface Target {
  x: number;
  y: number;
  z: number;
  yaw: number;
}

function follow(group: Group, target: Target, blend: number): void {
  const p = group.position;
  if (Math.hypot(target.x - p.x, target.y - p.y, target.z - p.z) > SNAP_DISTANCE) {
    p.set(target.x, target.y, target.z);
    group.rotation.y = target.yaw;
    return;
  }
  p.x += (target.x - p.x) * blend;
  p.y += (target.y - p.y) * blend;
  p.z += (target.z - p.z) * blend;
  group.rotation.y += wrapAngle(target.yaw - group.rotation.y) * blend;
}

/** The own avatar and everyone else in the tile; keeps `focus` on the own avatar for camera and sun. */
export function Avatars({ client, focus }: { client: WorldClient; focus: Vector3 }) {
  useWorldVersion(client);
  const groups = useRef(new Map<string, Group>());
  const own = useRef<Group>(null);

  useFrame((_, delta) => {
    const blend = 1 - Math.exp(-FOLLOW_RATE * Math.min(delta, 0.1));
    const me = client.ownAvatar;
    if (me && own.current) {
      follow(own.current, me, blend);
      focus.copy(own.current.position);
    }
    for (const avatar of client.avatars()) {
      const group = groups.current.get(avatar.id);
      if (group) follow(group, avatar, blend);
    }
  });

  const remotes = [...client.avatars()];
  return (
    <>
      <AvatarModel ref={own} id={client.playerId} name={client.name} showName={false} />
      {remotes.map((avatar) => (
        <AvatarModel
          key={avatar.id}
          id={avatar.id}
          name={avatar.name}
          ref={(group) => {
            if (group) groups.current.set(avatar.id, group);
            else groups.current.delete(avatar.id);
          }}
        />
      ))}
    </>
  );
}
