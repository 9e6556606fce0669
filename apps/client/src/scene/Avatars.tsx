import { useFrame } from "@react-three/fiber";
import { useRef } from "react";
import type { Group, Vector3 } from "three";
import type { WorldClient } from "@tessera/sdk";
import { wrapAngle } from "@tessera/protocol";
import { useChatBubbles } from "../chat/useChatBubbles.ts";
import { useWorldVersion } from "../net/useWorldConnection.ts";
import { AvatarModel } from "./AvatarModel.tsx";

/** How fast the own avatar turns to face where it goes, per second (its position needs no smoothing). */
const TURN_RATE = 14;

/**
 * The own avatar where the client predicts it, and everyone else where the client interpolates
 * them (see WorldClient.frame); keeps `focus` on the own avatar for camera and sun.
 */
export function Avatars({ client, focus }: { client: WorldClient; focus: Vector3 }) {
  useWorldVersion(client);
  const bubbles = useChatBubbles(client);
  const groups = useRef(new Map<string, Group>());
  const own = useRef<Group>(null);

  useFrame((_, delta) => {
    const shown = client.ownShownPosition;
    const facing = client.predicted?.facing ?? client.ownAvatar?.yaw;
    const group = own.current;
    if (shown && group && facing !== undefined) {
      group.position.set(shown.x, shown.y, shown.z);
      group.rotation.y += wrapAngle(facing - group.rotation.y) * (1 - Math.exp(-TURN_RATE * Math.min(delta, 0.1)));
      focus.copy(group.position);
    }
    for (const avatar of client.avatars()) {
      const remote = groups.current.get(avatar.id);
      if (!remote) continue;
      remote.position.set(avatar.shown.x, avatar.shown.y, avatar.shown.z);
      remote.rotation.y = avatar.shown.yaw;
    }
  });

  const remotes = [...client.avatars()];
  return (
    <>
      <AvatarModel ref={own} id={client.playerId} name={client.name} showName={false} bubble={bubbles.get(client.playerId)} />
      {remotes.map((avatar) => (
        <AvatarModel
          key={avatar.id}
          id={avatar.id}
          name={avatar.name}
          bubble={bubbles.get(avatar.id)}
          ref={(group) => {
            if (group) groups.current.set(avatar.id, group);
            else groups.current.delete(avatar.id);
          }}
        />
      ))}
    </>
  );
}
