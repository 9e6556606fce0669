import { EditError } from "@tessera/sdk";

type Listener = () => void;

/** A refusal stays on screen this long, ms. */
const SHOWN_MS = 8000;

/** Why an edit did not happen, in a few words for the toolbar. */
export function describeRefusal(error: unknown): string {
  if (error instanceof EditError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

/** The short message near the build toolbar (a refused edit, a hint), shown for a few seconds. */
export class BuildNotice {
  private text: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();

  get current(): string | undefined {
    return this.text;
  }

  show(text: string): void {
    clearTimeout(this.timer);
    this.text = text;
    this.timer = setTimeout(() => this.set(undefined), SHOWN_MS);
    this.emit();
  }

  /** Shows why an edit was refused. */
  refused(error: unknown): void {
    this.show(describeRefusal(error));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(text: string | undefined): void {
    this.text = text;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
