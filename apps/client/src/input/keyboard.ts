import { Keys } from "@tessera/protocol";

/** Physical keys (layout-independent `KeyboardEvent.code`) and the input bit each one sets. */
const BINDINGS: Record<string, number> = {
  KeyW: Keys.Forward,
  ArrowUp: Keys.Forward,
  KeyS: Keys.Back,
  ArrowDown: Keys.Back,
  KeyA: Keys.Left,
  ArrowLeft: Keys.Left,
  KeyD: Keys.Right,
  ArrowRight: Keys.Right,
  ShiftLeft: Keys.Run,
  ShiftRight: Keys.Run,
  Space: Keys.Jump,
};

/** Tracks which movement keys are held. Typing in a text field never moves the avatar. */
export class KeyboardInput {
  private held = new Set<string>();

  /** The {@link Keys} bits held now. */
  keys(): number {
    let bits = 0;
    for (const code of this.held) bits |= BINDINGS[code] ?? 0;
    return bits;
  }

  /** Starts listening to `target`'s keys; returns how to stop (safe to pair up again and again). */
  listen(target: Window = window): () => void {
    target.addEventListener("keydown", this.onDown);
    target.addEventListener("keyup", this.onUp);
    target.addEventListener("blur", this.clear);
    return () => {
      target.removeEventListener("keydown", this.onDown);
      target.removeEventListener("keyup", this.onUp);
      target.removeEventListener("blur", this.clear);
      this.clear();
    };
  }

  private readonly onDown = (event: KeyboardEvent) => {
    if (!(event.code in BINDINGS) || isTyping(event.target)) return;
    this.held.add(event.code);
    // Space and arrows would scroll the page.
    event.preventDefault();
  };

  private readonly onUp = (event: KeyboardEvent) => {
    this.held.delete(event.code);
  };

  private readonly clear = () => {
    this.held.clear();
  };
}

/** Whether a key event goes to a text field (where no shortcut may fire). */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}
