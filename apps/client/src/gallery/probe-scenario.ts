/** Work the build benchmark adds to each frame of the gallery's field, before it is rendered. */
export interface ProbeScenario {
  step(frame: number): void;
  dispose(): void;
}
