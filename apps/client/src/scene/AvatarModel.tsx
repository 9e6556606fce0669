import { forwardRef, useEffect, useMemo } from "react";
import type { Group } from "three";
import { AVATAR } from "@tessera/sim/constants";
import { BUBBLE_LINE_HEIGHT, NAME_TAG_HEIGHT, avatarColour, chatBubbleTexture, nameTagTexture } from "./textures.ts";

const BODY_LENGTH = AVATAR.height - 2 * AVATAR.radius;

function NameTag({ name }: { name: string }) {
  const tag = useMemo(() => nameTagTexture(name), [name]);
  useEffect(() => () => tag.texture.dispose(), [tag]);
  return (
    <sprite position-y={AVATAR.height + 0.35} scale={[NAME_TAG_HEIGHT * tag.aspect, NAME_TAG_HEIGHT, 1]} renderOrder={10}>
      <spriteMaterial map={tag.texture} transparent depthWrite={false} />
    </sprite>
  );
}

/** What the avatar said last, floating over its name. */
function ChatBubble({ text }: { text: string }) {
  const bubble = useMemo(() => chatBubbleTexture(text), [text]);
  useEffect(() => () => bubble.texture.dispose(), [bubble]);
  const height = BUBBLE_LINE_HEIGHT * bubble.lines + 0.1;
  return (
    <sprite position-y={AVATAR.height + 0.6 + height / 2} scale={[height * bubble.aspect, height, 1]} renderOrder={11}>
      <spriteMaterial map={bubble.texture} transparent depthWrite={false} />
    </sprite>
  );
}

/**
 * An avatar: a capsule body with a visor showing which way it faces (+z of the group) and, for
 * everyone but the player, a name floating above; over it, what it said last while `bubble` is set.
 * The group's origin is at the feet.
 */
export const AvatarModel = forwardRef<Group, { id: string; name: string; showName?: boolean; bubble?: string | undefined }>(function AvatarModel({ id, name, showName = true, bubble }, ref) {
  return (
    <group ref={ref}>
      <mesh position-y={AVATAR.height / 2} castShadow receiveShadow>
        <capsuleGeometry args={[AVATAR.radius, BODY_LENGTH, 6, 16]} />
        <meshStandardMaterial color={avatarColour(id)} roughness={0.55} />
      </mesh>
      <mesh position={[0, AVATAR.height - 0.32, AVATAR.radius * 0.8]} castShadow>
        <boxGeometry args={[0.42, 0.14, 0.14]} />
        <meshStandardMaterial color="#1d2433" roughness={0.3} metalness={0.2} />
      </mesh>
      {showName && <NameTag name={name} />}
      {bubble !== undefined && <ChatBubble text={bubble} />}
    </group>
  );
});
