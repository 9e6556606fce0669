import { useThree } from "@react-three/fiber";
import { useEffect, useMemo } from "react";
import { DoubleSide } from "three";
import { gridBounds, type WorldConfig } from "@tessera/protocol";
import { edgeFadeTexture, groundTexture } from "./textures.ts";

const EDGE_HEIGHT = 3;
const KERB = 0.25;
/** How far the land beyond the grid reaches; fog hides its end. */
const BEYOND = 2000;

/**
 * The ground of the whole grid with a faint line at every tile border, the land beyond the grid,
 * and a kerb with a glowing fade along the grid's edge, where the world ends.
 */
export function Ground({ world }: { world: WorldConfig }) {
  const gl = useThree((state) => state.gl);
  const bounds = gridBounds(world.grid, world.tileSize);
  const width = bounds.maxX - bounds.minX;
  const depth = bounds.maxZ - bounds.minZ;
  const texture = useMemo(() => {
    // 8 taps look as good as 16 and cost a third less where there is no GPU.
    const t = groundTexture(world.tileSize, Math.min(8, gl.capabilities.getMaxAnisotropy()));
    t.repeat.set(world.grid.width, world.grid.depth);
    return t;
  }, [gl, world.tileSize, world.grid.width, world.grid.depth]);
  const fade = useMemo(() => edgeFadeTexture("140, 200, 255"), []);
  useEffect(
    () => () => {
      texture.dispose();
      fade.dispose();
    },
    [texture, fade],
  );

  const cx = (bounds.minX + bounds.maxX) / 2;
  const cz = (bounds.minZ + bounds.maxZ) / 2;
  // The land beyond is a frame around the grid, never a sheet under it: overlapping planes fight
  // over depth and draw every pixel twice.
  const beyond: { position: [number, number, number]; size: [number, number] }[] = [
    { position: [cx, 0, bounds.minZ - BEYOND / 2], size: [width + 2 * BEYOND, BEYOND] },
    { position: [cx, 0, bounds.maxZ + BEYOND / 2], size: [width + 2 * BEYOND, BEYOND] },
    { position: [bounds.minX - BEYOND / 2, 0, cz], size: [BEYOND, depth] },
    { position: [bounds.maxX + BEYOND / 2, 0, cz], size: [BEYOND, depth] },
  ];
  const sides: { position: [number, number, number]; length: number; rotationY: number }[] = [
    { position: [cx, 0, bounds.minZ], length: width, rotationY: 0 },
    { position: [cx, 0, bounds.maxZ], length: width, rotationY: 0 },
    { position: [bounds.minX, 0, cz], length: depth, rotationY: Math.PI / 2 },
    { position: [bounds.maxX, 0, cz], length: depth, rotationY: Math.PI / 2 },
  ];

  return (
    <group>
      <mesh rotation-x={-Math.PI / 2} position={[cx, 0, cz]} receiveShadow>
        <planeGeometry args={[width, depth]} />
        <meshStandardMaterial map={texture} roughness={0.95} />
      </mesh>
      {beyond.map((part, i) => (
        <mesh key={i} rotation-x={-Math.PI / 2} position={part.position}>
          <planeGeometry args={part.size} />
          <meshStandardMaterial color="#7d8a6a" roughness={1} />
        </mesh>
      ))}
      {sides.map((side, i) => (
        <group key={i} position={side.position} rotation-y={side.rotationY}>
          <mesh position-y={KERB / 2} castShadow receiveShadow>
            <boxGeometry args={[side.length + KERB, KERB, KERB]} />
            <meshStandardMaterial color="#b8b2a4" roughness={0.8} />
          </mesh>
          <mesh position-y={EDGE_HEIGHT / 2}>
            <planeGeometry args={[side.length, EDGE_HEIGHT]} />
            <meshBasicMaterial map={fade} transparent depthWrite={false} side={DoubleSide} />
          </mesh>
        </group>
      ))}
    </group>
  );
}
