import { STACK_FRAME, type LogLine } from "./processes.ts";

/** A stack trace the relay printed: the line it hangs from (`head`) and its frames. */
export interface StackTrace {
  /** When its first frame arrived (ms, performance.now() of the fuzzer). */
  at: number;
  head: string;
  frames: string[];
  /** `head` with its particulars (numbers, ids, quoted text) blurred: one per kind of failure. */
  signature: string;
}

/** Any V8 frame line, those without a position too (`at new Promise (<anonymous>)`). */
const FRAME_LIKE = /^\s+at \S/;

/** Frames inside parsers and the runtime: where an error surfaced, not which path led there. */
const INNER_FRAME = /msgpackr[/\\]|node:internal[/\\]|\(<anonymous>\)|^\s*at (new )?(DataView|JSON|Array|Object|String|Number)\b/;

/**
 * One kind of failure: the head with what varies between occurrences (values, ids, numbers) blurred
 * and cut after its first words, plus the first frame outside parser and runtime internals (where
 * the relay or its libraries called into them): `Error: Data read, but end of buffer not reached
 * @ RoomMessages.onData (RoomMessages.mjs)`.
 */
export function signatureOf(head: string, frames: readonly string[]): string {
  const words = head
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "<q>")
    .replace(/\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{6,}\b/g, "<id>")
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 48)
    .trim();
  const frame = frames.find((f) => !INNER_FRAME.test(f)) ?? frames[0] ?? "";
  const where = frame
    .trim()
    .replace(/^at /, "")
    .replace(/:\d+:\d+(\)?)$/, "$1")
    .replace(/\(.*[/\\]/, "(");
  return `${words} @ ${where}`;
}

/**
 * The stack traces among `lines`: every run of lines that look like V8 stack frames, with the
 * nearest line before them on the same stream as its head (`Error: ...`, `[relay] ...`).
 */
export function stackTraces(lines: readonly LogLine[]): StackTrace[] {
  const traces: StackTrace[] = [];
  const current: Record<string, StackTrace | undefined> = {};
  const lastPlain: Record<string, string> = {};
  for (const line of lines) {
    const trace = current[line.stream];
    if (STACK_FRAME.test(line.text) || (trace && FRAME_LIKE.test(line.text))) {
      if (trace) trace.frames.push(line.text);
      else {
        const head = lastPlain[line.stream] ?? "(no head)";
        const started = { at: line.at, head, frames: [line.text], signature: "" };
        traces.push(started);
        current[line.stream] = started;
      }
    } else if (FRAME_LIKE.test(line.text)) {
      // A frame without a position opening a trace (`at DataView.getUint32 (<anonymous>)`): the
      // trace hangs from the line before it all the same.
      const started = { at: line.at, head: lastPlain[line.stream] ?? "(no head)", frames: [line.text], signature: "" };
      traces.push(started);
      current[line.stream] = started;
    } else {
      current[line.stream] = undefined;
      // `[cause]: ...` and `{ code: ... }` lines inside a trace do not start a new one.
      if (!/^\s*(\[cause\]|\{|\}|code:|errno:|syscall:)/.test(line.text)) lastPlain[line.stream] = line.text;
    }
  }
  for (const trace of traces) trace.signature = signatureOf(trace.head, trace.frames);
  // A trace has at least one frame with a position (file:line:col).
  return traces.filter((trace) => trace.frames.some((frame) => STACK_FRAME.test(frame)));
}

/** Traces grouped by signature, first occurrence first. */
export function distinct(traces: readonly StackTrace[]): { signature: string; first: StackTrace; count: number }[] {
  const groups = new Map<string, { signature: string; first: StackTrace; count: number }>();
  for (const trace of traces) {
    const group = groups.get(trace.signature);
    if (group) group.count++;
    else groups.set(trace.signature, { signature: trace.signature, first: trace, count: 1 });
  }
  return [...groups.values()];
}
