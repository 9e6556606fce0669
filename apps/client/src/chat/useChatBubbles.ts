import { useEffect, useState } from "react";
import type { WorldClient } from "@tessera/sdk";

/** How long a line floats over its speaker, ms. */
export const BUBBLE_MS = 8000;

/**
 * What each speaker said last, by player id, for as long as it floats over their avatar (from when
 * the line arrived here: the relay's clock and the page's may differ).
 */
export function useChatBubbles(client: WorldClient): ReadonlyMap<string, string> {
  const [bubbles, setBubbles] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const shown = new Map<string, { text: string; until: number }>();
    let seen = client.chat.version;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      const now = performance.now();
      for (const [id, bubble] of shown) if (bubble.until <= now) shown.delete(id);
      setBubbles(new Map([...shown].map(([id, bubble]) => [id, bubble.text])));
      clearTimeout(timer);
      const next = Math.min(...[...shown.values()].map((bubble) => bubble.until));
      if (Number.isFinite(next)) timer = setTimeout(publish, next - now + 10);
    };
    const stop = client.chat.subscribe(() => {
      // The log tells after each line it keeps: the newest lines, as many as it kept since, are new.
      const added = client.chat.version - seen;
      seen = client.chat.version;
      for (const line of client.chat.lines().slice(-added)) shown.set(line.speaker.id, { text: line.text, until: performance.now() + BUBBLE_MS });
      publish();
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [client]);
  return bubbles;
}
