import { Agent, request } from "node:http";

/**
 * The fuzzer's own requests (sessions, seats, health checks) go through node:http with a pool of
 * their own, never through the connections that fetch's fuzz cases may have left in a strange state.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A fetch for the fuzzer's own plumbing (also handed to the Colyseus SDK as its `fetchFn`). A request
 * on a kept-alive connection that the relay closed just then (the usual keep-alive race) is sent
 * again once, on a new connection.
 */
export async function plainFetch(input: string | URL | Request, init: RequestInit & { fresh?: boolean; timeoutMs?: number } = {}): Promise<Response> {
  try {
    return await send(input, init);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (init.fresh || (code !== "ECONNRESET" && code !== "EPIPE")) throw error;
    return send(input, { ...init, fresh: true });
  }
}

function send(input: string | URL | Request, init: RequestInit & { fresh?: boolean; timeoutMs?: number } = {}): Promise<Response> {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => (headers[key] = value));
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array)) throw new Error("plainFetch takes string or byte bodies");
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers, agent: init.fresh ? false : agent, timeout: init.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(key, Array.isArray(value) ? value.join(", ") : value);
        }
        resolve(new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status: status < 200 || status > 599 ? 500 : status, headers: responseHeaders }));
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${init.method ?? "GET"} ${url.pathname}: no answer in ${(init.timeoutMs ?? 10_000) / 1000} s`)));
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}
