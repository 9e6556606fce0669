import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { CHAT_CHANNELS, CHAT_RANGE, ClientMessage, MAX_CHAT_CHARS, type ChatChannel, type ChatLine } from "@tessera/protocol";
import type { WorldClient } from "@tessera/sdk";
import { isTyping } from "../input/keyboard.ts";

/** Lines the panel shows (the log keeps more). */
const SHOWN_LINES = 60;
/** How long after a send a refusal from the relay is taken for that line's, ms. */
const REFUSAL_WINDOW_MS = 1500;

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
const VERB: Record<ChatChannel, string> = { whisper: "whispers", say: "says", shout: "shouts" };

function Line({ line, self }: { line: ChatLine; self: string }) {
  // Names and text are React text nodes: never HTML, whatever they hold.
  return (
    <li className={`chat-line chat-${line.channel}`} data-testid="chat-line">
      <time dateTime={new Date(line.sentAt).toISOString()}>{clock(line.sentAt)}</time> <b className={line.speaker.id === self ? "chat-self" : undefined}>{line.speaker.name}</b>
      {line.channel === "say" ? ": " : ` ${VERB[line.channel]}: `}
      {line.text}
    </li>
  );
}

/**
 * Local chat: the lines the own avatar heard (time, name, text; whispers and shouts marked) over a
 * field to say one. Enter (anywhere but another field) goes to the field; Enter says, Shift+Enter
 * whispers, Ctrl+Enter shouts, or the channel picked; Escape leaves. A refused line says why.
 */
export function ChatPanel({ client }: { client: WorldClient }) {
  useSyncExternalStore(
    (listener) => client.chat.subscribe(listener),
    () => client.chat.version,
  );
  const [text, setText] = useState("");
  const [channel, setChannel] = useState<ChatChannel>("say");
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  const history = useRef<HTMLOListElement>(null);
  const lines = client.chat.lines().slice(-SHOWN_LINES);

  useEffect(() => {
    const focus = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || isTyping(event.target)) return;
      event.preventDefault();
      input.current?.focus();
    };
    window.addEventListener("keydown", focus);
    return () => window.removeEventListener("keydown", focus);
  }, []);
  // The newest line in view.
  const newest = lines.at(-1);
  useEffect(() => {
    const list = history.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newest]);

  const send = (on: ChatChannel) => {
    const before = client.errors().length;
    try {
      client.say(on, text);
    } catch (error) {
      setProblem((error as Error).message);
      return;
    }
    setText("");
    setProblem(undefined);
    // The relay's refusal (too many lines at once) comes back as an error of type "chat".
    setTimeout(() => {
      const refusal = client.errors().slice(before).find((error) => error.type === ClientMessage.Chat);
      if (refusal) setProblem(refusal.message);
    }, REFUSAL_WINDOW_MS);
  };

  return (
    <section className="chat-panel" aria-label="Local chat" data-testid="chat-panel">
      <ol className="chat-history" ref={history} aria-live="polite">
        {lines.map((line) => (
          <Line key={`${line.speaker.id}|${line.sentAt}|${line.text}`} line={line} self={client.playerId} />
        ))}
      </ol>
      {problem && (
        <p className="chat-problem" role="alert" data-testid="chat-problem">
          {problem}
        </p>
      )}
      <form
        className="chat-say"
        onSubmit={(event) => {
          event.preventDefault();
          send(channel);
        }}
      >
        <select aria-label="Channel" value={channel} onChange={(event) => setChannel(event.target.value as ChatChannel)} data-testid="chat-channel">
          {CHAT_CHANNELS.map((option) => (
            <option key={option} value={option}>
              {option[0]!.toUpperCase() + option.slice(1)} ({CHAT_RANGE[option]} m)
            </option>
          ))}
        </select>
        <input
          ref={input}
          value={text}
          maxLength={MAX_CHAT_CHARS}
          placeholder="Press Enter to chat"
          aria-label="Say"
          data-testid="chat-input"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") event.currentTarget.blur();
            else if (event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              send(event.shiftKey ? "whisper" : "shout");
            }
          }}
        />
      </form>
    </section>
  );
}
