import { connect, type Socket } from "node:net";
import type { FetchCase, OversizeCase, RawHttpCase } from "./cases.ts";
import { bodyBytes, fill, type Outcome, type Target } from "./context.ts";

/** A well-formed request, through fetch. */
export async function runFetch(c: FetchCase, target: Target): Promise<Outcome> {
  const headers = new Headers();
  for (const [name, value] of c.headers) {
    try {
      headers.append(name, fill(value, target));
    } catch {
      // A header fetch will not send (the raw cases send those).
    }
  }
  const body = c.body ? new Uint8Array(bodyBytes(c.body, target)) : undefined;
  let request: Request;
  try {
    request = new Request(`${target.url}${fill(c.path, target)}`, { method: c.method, headers, body, redirect: "manual", signal: AbortSignal.timeout(5000) });
  } catch {
    // A request fetch will not make (the relay never sees it): not counted.
    return { refused: true, skipped: true };
  }
  let response: Response;
  try {
    response = await fetch(request);
  } catch {
    return { refused: true };
  }
  try {
    await response.arrayBuffer();
  } catch {
    return { refused: true };
  }
  return { refused: response.status >= 400 };
}

/** The request's bytes, exactly as written (lies and all). */
export function rawRequest(c: RawHttpCase, target: Target): Buffer {
  const body = c.body ? Buffer.from(bodyBytes(c.body, target)) : Buffer.alloc(0);
  const head: string[] = [c.version ? `${c.method} ${fill(c.target, target)} ${c.version}` : `${c.method} ${fill(c.target, target)}`];
  const host = `${target.host}:${target.port}`;
  if (c.host === "ok") head.push(`Host: ${host}`);
  else if (c.host === "double") head.push(`Host: ${host}`, "Host: evil.example");
  else if (c.host === "junk") head.push("Host: evil\u0000.example:99999");
  for (const [name, value] of c.headers) head.push(`${name}: ${fill(value, target)}`);
  let payload: Buffer = body;
  const f = c.framing;
  switch (f.t) {
    case "none":
      break;
    case "cl":
      head.push(`Content-Length: ${body.length + f.delta}`);
      break;
    case "cl-text":
      head.push(`Content-Length: ${f.value}`);
      break;
    case "cl-dup":
      head.push(`Content-Length: ${f.a}`, `Content-Length: ${f.b}`);
      break;
    case "chunked": {
      head.push(`Transfer-Encoding: ${f.te}`);
      if (f.alsoCl) head.push(`Content-Length: ${body.length}`);
      const parts: Buffer[] = [];
      const size = Math.max(1, Math.ceil(body.length / f.pieces));
      for (let at = 0; at < body.length; at += size) {
        const chunk = body.subarray(at, at + size);
        parts.push(Buffer.from(`${chunk.length.toString(16)}${f.sizeJunk}\r\n`), chunk, Buffer.from("\r\n"));
      }
      if (f.terminate) parts.push(Buffer.from("0\r\n\r\n"));
      payload = Buffer.concat(parts);
      break;
    }
  }
  const parts = [Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), payload];
  if (c.pipeline) parts.push(Buffer.from(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
  return Buffer.concat(parts);
}

/** How long a raw request waits for an answer (a lying Content-Length makes the relay wait for more). */
const RAW_TIMEOUT_MS = 1200;
/** Once an answer has begun, how long to wait for more of it. */
const RAW_QUIET_MS = 80;

/** A request written byte by byte on a TCP socket: malformed, lying, pipelined, slow. */
export async function runRaw(c: RawHttpCase, target: Target): Promise<Outcome> {
  const bytes = rawRequest(c, target);
  const socket = connect({ host: target.host, port: target.port });
  let received = "";
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<void>((resolve) => {
    const finish = setTimeout(resolve, RAW_TIMEOUT_MS);
    socket.on("data", (data: Buffer) => {
      if (received.length < 4096) received += data.toString("latin1");
      clearTimeout(quiet);
      quiet = setTimeout(resolve, RAW_QUIET_MS);
    });
    socket.on("close", () => {
      clearTimeout(finish);
      resolve();
    });
    socket.on("error", () => undefined);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const pieces = Math.max(1, c.pieces);
    const size = Math.ceil(bytes.length / pieces);
    for (let at = 0; at < bytes.length && !socket.destroyed; at += size) {
      socket.write(bytes.subarray(at, at + size));
      if (c.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, c.pauseMs));
    }
    if (c.end && !socket.destroyed) socket.end();
    await done;
  } catch {
    // Refused or reset: fine.
  } finally {
    clearTimeout(quiet);
    socket.destroy();
  }
  const status = /^HTTP\/\d\.\d (\d{3})/.exec(received)?.[1];
  return { refused: status === undefined || Number(status) >= 400 };
}

/** What an oversized request sends of its body: a little over 1 MiB. */
export const OVERSIZE_LIMIT = 1024 * 1024;
const OVERSIZE_SENT = OVERSIZE_LIMIT + 256 * 1024;
const OVERSIZE_PIECE = 64 * 1024;
/** After sending that much, how long the relay has to answer or close. */
const OVERSIZE_GRACE_MS = 2000;

/**
 * Sends the head of a request with a huge body and streams a little over 1 MiB of the body. The
 * relay must answer (413, or anything: a route that ignores bodies answers at once) or close the
 * connection; one that is still reading and silent 2 s later reads bodies without bound.
 */
export async function runOversize(c: OversizeCase, target: Target): Promise<Outcome> {
  const socket: Socket = connect({ host: target.host, port: target.port });
  socket.on("error", () => undefined);
  let status: string | undefined;
  let received = "";
  let closed = false;
  const answered = new Promise<void>((resolve) => {
    socket.on("data", (data: Buffer) => {
      received += data.toString("latin1", 0, Math.min(data.length, 512));
      status ??= /^HTTP\/\d\.\d (\d{3})/.exec(received)?.[1];
      if (status) resolve();
    });
    socket.on("close", () => {
      closed = true;
      resolve();
    });
  });
  let sent = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const declared = c.declaredMiB * 1024 * 1024;
    const head = [`${c.method} ${c.path} HTTP/1.1`, `Host: ${target.host}:${target.port}`];
    if (c.contentType) head.push(`Content-Type: ${c.contentType}`);
    if (c.auth) head.push(`Authorization: ${fill(c.auth, target)}`);
    head.push(c.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${declared}`);
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
    const piece = Buffer.alloc(OVERSIZE_PIECE, 0x61);
    piece.write('{"name":"');
    const deadline = performance.now() + 10_000;
    while (sent < OVERSIZE_SENT && !status && !closed && performance.now() < deadline) {
      const framed = c.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
      sent += piece.length;
      if (!socket.write(framed)) {
        await Promise.race([new Promise((resolve) => socket.once("drain", resolve)), answered, new Promise((resolve) => setTimeout(resolve, 2000))]);
      }
    }
    if (!status && !closed) await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, OVERSIZE_GRACE_MS))]);
  } catch {
    // Reset while sending: it was cut off.
    closed = true;
  } finally {
    socket.destroy();
  }
  if (status) return { refused: Number(status) >= 400 };
  if (closed) return { refused: true };
  return {
    refused: true,
    violation:
      `${c.method} ${c.path} (${c.chunked ? "chunked" : `Content-Length ${c.declaredMiB} MiB`}, ${c.contentType || "no content type"}): ` +
      `the relay took ${(sent / 1024 / 1024).toFixed(2)} MiB of the body and neither answered nor closed within ${OVERSIZE_GRACE_MS / 1000} s: ` +
      "it reads bodies to their end, however long",
  };
}
