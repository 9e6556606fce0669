import { IDENTITY, makePrim, seededRandom, solidFace, type Prim } from "@tessera/prims";
import { PRESET_SHOWCASE, VARIANT_SHOWCASE, yawRotation } from "@tessera/worldgen";

const SHAPES = [...PRESET_SHOWCASE, ...VARIANT_SHOWCASE];
const COLOURS: [number, number, number][] = [[217, 83, 79], [240, 173, 78], [92, 184, 92], [91, 192, 222], [66, 139, 202], [155, 89, 182], [230, 126, 34], [149, 165, 166]];

/** Side of the square a field of prims covers, metres. */
export const FIELD_SIZE = 200;

/**
 * `count` prims of every showcase shape on a jittered grid over a {@link FIELD_SIZE} m square, with
 * mixed sizes and colours, a tenth of them see-through and a twentieth full bright: a stress scene
 * for the renderer. Deterministic.
 */
export function primField(count: number): Prim[] {
  const random = seededRandom(20261122);
  const side = Math.ceil(Math.sqrt(count));
  const step = FIELD_SIZE / side;
  return Array.from({ length: count }, (_, i) => {
    const { shape } = SHAPES[i % SHAPES.length]!;
    const size = 0.5 + random() * 1.5;
    const [r, g, b] = COLOURS[Math.floor(random() * COLOURS.length)]!;
    const roll = random();
    const face = solidFace(r, g, b, roll < 0.1 ? 150 : 255);
    face.fullBright = roll > 0.95;
    return makePrim(i + 1, shape, { x: ((i % side) + 0.5 + (random() - 0.5) * 0.5) * step, y: size / 2, z: (Math.floor(i / side) + 0.5 + (random() - 0.5) * 0.5) * step }, {
      scale: { x: size, y: size * (0.6 + random()), z: size },
      rotation: random() < 0.5 ? IDENTITY : yawRotation(random() * 360),
      faces: [face],
    });
  });
}
