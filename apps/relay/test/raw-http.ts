import { connect, type Socket } from "node:net";

/** What a raw connection got back: everything the relay sent, and how long until it closed (ms), if it did. */
export interface RawExchange {
  text: string;
  status: number | undefined;
  closedAfterMs: number | undefined;
}

/**
 * Opens a TCP connection to the relay, writes `chunks` (strings or bytes, with `gapMs` between
 * them), and collects what comes back until the relay closes the connection or `waitMs` passes.
 * For what `fetch` cannot send: lying headers, half-sent requests, bodies without end.
 */
export async function rawExchange(port: number, chunks: (string | Buffer)[], options: { gapMs?: number; waitMs?: number } = {}): Promise<RawExchange> {
  const socket = await open(port);
  const started = performance.now();
  let text = "";
  let closedAfterMs: number | undefined;
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closedAfterMs = performance.now() - started;
      resolve();
    }),
  );
  socket.on("error", () => undefined);
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    socket.write(chunk);
    if (options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
  }
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, options.waitMs ?? 3000))]);
  socket.destroy();
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  return { text, status: status === undefined ? undefined : Number(status), closedAfterMs };
}

export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** The JSON body of a raw HTTP response. */
export function jsonBody(text: string): unknown {
  const body = text.slice(text.indexOf("\r\n\r\n") + 4);
  return JSON.parse(body) as unknown;
}
