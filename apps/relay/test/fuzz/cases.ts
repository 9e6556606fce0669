/**
 * What the fuzzer sends, as fast-check arbitraries: plain data, so that every case can be printed,
 * and regenerated from its seed and index (see `caseAt` in engine.ts). Values only known at run time
 * (tokens, the relay's process id, a reconnection token) appear as placeholders (`@@T3@@`, `@@PID@@`)
 * that the executors fill in.
 */
import fc from "fast-check";
import type { Msg, TypeHeader } from "./wire.ts";

// ---------------------------------------------------------------------------------------------
// Placeholders

/** A valid guest token from the pool (index modulo its size). */
export const tokenRef = (i: number) => `@@T${i}@@`;
/** A valid token of the pool with one character changed (a forgery). */
export const forgedRef = (i: number) => `@@F${i}@@`;
/** The relay's Colyseus process id. */
export const PID = "@@PID@@";
/** A reconnection token of a room session that the executor has at hand (or a stale one). */
export const RTOKEN = "@@RT@@";
/** The relay's port. */
export const PORT = "@@PORT@@";

const tokenArb = fc.nat({ max: 63 }).map(tokenRef);
const forgedArb = fc.nat({ max: 63 }).map(forgedRef);

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Strings of every kind: ASCII, full unicode, lone surrogates, control characters, long. */
export const junkString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("\u0000", "\r", "\n", "\t", "\u202e", "\ufeff", "\ud800", "\udfff", "%", "\\", '"', "/", ".", "a"), maxLength: 32 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "*", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "null", "undefined", "NaN", "input", "snap", "prims", "error", "_$binput", "$", "%s%s%s%n", "${7*7}", "{{7*7}}", "<script>", "\u0000input") },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => "x".repeat(n)) },
);

/** URL-path segments a path-walking client tries. */
const nastySegment = fc.constantFrom(
  "..", ".", "%2e%2e", "%2E%2E", "..%2f..%2f..%2fetc%2fpasswd", "%2f", "%5c", "..\\..\\", "%00", "%ff", "%c0%af", "%e2%80%ae", "%", "%zz",
  "%252e%252e", "index.html", "index.html%00.png", "CON", "aux", "~", "assets", "__proto__", "constructor", ";", "%3b", "a?b", "#x", "%23x",
);
const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_.-]{0,20}$/) },
  { weight: 2, arbitrary: nastySegment },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 7000 }).map((n) => "a".repeat(n)) },
);

/** Tile ids, good and bad, on a 4 x 4 grid. */
export const tileIdArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("tile_2_2", "tile_1_2", "tile_2_1", "tile_0_0", "tile_3_3", "tile_1_1") },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -3, max: 7 }), fc.integer({ min: -3, max: 7 })).map(([x, z]) => `tile_${x}_${z}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "tile_4_4", "tile_99999999999999999999_0", "tile_-0_0", "tile_1e3_2", "tile_02_2", "tile_2_2_2", "tile__", "tile_", "tile", "TILE_2_2",
      "tile_0x1_2", "tile_2.5_2", "tile_NaN_1", "tile_Infinity_0", "tile_+1_2", "tile_ 1_2", "tile_2_2%00", "tile_2_2.json", "tile_9007199254740993_0",
    ),
  },
  { weight: 1, arbitrary: segment },
);

const roomNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("tile") },
  { weight: 3, arbitrary: tileIdArb },
  { weight: 1, arbitrary: fc.constantFrom("*", "lobby", "relay", "__proto__", "constructor", "tile%00", "tile/../tile", "undefined", "TILE") },
  { weight: 1, arbitrary: segment },
);

export const matchmakeMethodArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("joinById", "join", "joinOrCreate", "create", "reconnect") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "junk", "JOINBYID", "joinbyid", "__proto__", "constructor", "toString", "hasOwnProperty", "query", "createRoom", "remoteRoomCall", "getRoomById",
      "gracefullyShutdown", "reserveSeatFor", "invokeMethod", "exposedMethods", "findOneRoomAvailable", "disconnectAll", "", "joinById%00",
    ),
  },
  { weight: 1, arbitrary: segment },
);

/** A display name: mostly valid (1-24 letters, digits, spaces, `.`, `_`, `-`), sometimes not. */
export const nameArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-][A-Za-z0-9 ._-]{0,22}[A-Za-z0-9._-]$/) },
  { weight: 1, arbitrary: junkString },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, 1, true, [], {}, "", " ", "a".repeat(25), "Ada\u0000", "Ada\nLovelace", "\u202eAda", "Ádá", "a b") },
);

/** Numbers a validator must survive. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, -1, 1.5, 2 ** 31, 2 ** 32, 2 ** 32 - 1, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE, Number.EPSILON, 4, Math.PI + 1e-9, -Math.PI - 1e-9, 64, 63.5),
  fc.double(),
  fc.integer(),
);

/** Arbitrary JS values that msgpack (the Colyseus SDK's msgpackr) can carry. */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 4,
  maxKeys: 8,
  // fast-check's defaults, with 64-bit bigints (msgpack has no wider integers) and nastier numbers.
  values: [
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom(null, undefined, NaN, 0, -0, Number.EPSILON, Number.MIN_VALUE, Number.MAX_VALUE, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Infinity, -Infinity),
    nastyNumber,
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  ],
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
});

/** JSON objects with a key that JSON.parse makes an own property (`__proto__`, `constructor`). */
const pollutingJson = fc.constantFrom(
  '{"__proto__":{"polluted":1,"enter":true}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"name":"Ada","__proto__":{"isAdmin":true}}',
  '{"__proto__":null}',
  '{"toString":"x","valueOf":1}',
);

// ---------------------------------------------------------------------------------------------
// HTTP

/** A request body: text in some encoding, or bytes. */
export type BodySpec = { enc: "utf8" | "utf16le" | "latin1"; text: string; bom: boolean } | { enc: "bytes"; bytes: Uint8Array };

/** Deeply nested JSON, as text: `depth` levels of `[` (or `{"a":`). */
const nestedJson = fc.record({ depth: fc.integer({ min: 100, max: 30_000 }), object: fc.boolean() }).map(({ depth, object }) =>
  object ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` : `${"[".repeat(depth)}${"]".repeat(depth)}`,
);

/** Valid JSON with one corruption: what a buggy or hostile client sends. */
const nearJson = (json: fc.Arbitrary<string>) =>
  fc.tuple(json, fc.constantFrom<string>("truncate", "trailing-comma", "single-quotes", "nan", "comment", "bom", "double", "unquoted", "control"), fc.nat()).map(([text, how, at]) => {
    switch (how) {
      case "truncate":
        return text.slice(0, at % Math.max(1, text.length));
      case "trailing-comma":
        return text.replace(/}$/, ",}");
      case "single-quotes":
        return text.replaceAll('"', "'");
      case "nan":
        return text.replace(/:\s*[^,}]+/, ":NaN");
      case "comment":
        return `/* c */${text}`;
      case "bom":
        return `\ufeff${text}`;
      case "double":
        return `${text}${text}`;
      case "unquoted":
        return text.replace(/"(\w+)":/g, "$1:");
      default:
        return text.replace(/"/, '"\u0001');
    }
  });

/** Options a client passes to a matchmaker call (the room's join options), good and bad. */
const joinOptionsJson: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ name: nameArb, enter: fc.boolean() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.record({ tx: fc.integer({ min: -2, max: 6 }), tz: fc.integer({ min: -2, max: 6 }), claim: junkString }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.constantFrom(`{"reconnectionToken":"${RTOKEN}"}`, '{"reconnectionToken":"x"}', '{"reconnectionToken":{"a":1}}', '{"reconnectionToken":""}') },
  { weight: 1, arbitrary: fc.dictionary(junkString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: pollutingJson },
);

const sessionJson: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ name: nameArb }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.record({ name: nameArb, extra: fc.jsonValue({ maxDepth: 2 }) }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: pollutingJson },
);

const textBody = (text: fc.Arbitrary<string>): fc.Arbitrary<BodySpec> =>
  fc.record({ enc: fc.constantFrom<"utf8" | "utf16le" | "latin1">("utf8", "utf8", "utf8", "utf16le", "latin1"), text, bom: fc.boolean() });

export const bodyArb: fc.Arbitrary<BodySpec | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: textBody(fc.oneof(joinOptionsJson, sessionJson)) },
  { weight: 3, arbitrary: textBody(nearJson(fc.oneof(joinOptionsJson, sessionJson))) },
  { weight: 1, arbitrary: textBody(nestedJson) },
  { weight: 1, arbitrary: textBody(fc.constantFrom("", "null", "[]", "0", '"str"', "true", "{}", "{", "}", "\u0000", "a=b&name=Ada", "--zz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n--zz--")) },
  {
    weight: 1,
    arbitrary: textBody(fc.integer({ min: 1024, max: 192 * 1024 }).map((n) => JSON.stringify({ name: "x".repeat(n) }))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ enc: "bytes" as const, bytes })) },
);

export interface FetchCase {
  kind: "fetch";
  method: string;
  path: string;
  headers: [string, string][];
  body: BodySpec | undefined;
}

/** The routes the relay serves (README: HTTP, Rooms), with their ids and methods varied. */
const routeArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("/api/health", "/api/world", "/api/tiles", "/api/avatars", "/api/session") },
  { weight: 3, arbitrary: tileIdArb.map((id) => `/api/tiles/${id}/open`) },
  { weight: 1, arbitrary: tileIdArb.map((id) => `/api/tiles/${id}`) },
  { weight: 4, arbitrary: fc.tuple(matchmakeMethodArb, roomNameArb).map(([m, r]) => `/matchmake/${m}/${r}`) },
  { weight: 1, arbitrary: fc.constantFrom("/matchmake", "/matchmake/", "/matchmake/joinById", "/matchmake/joinById/", "/matchmake//tile_2_2", "/matchmake/joinById/tile_2_2/extra") },
  { weight: 1, arbitrary: fc.constantFrom("/", "/index.html", "/gallery.html", "/favicon.ico", "/assets/index.js", "/__healthcheck", "/api", "/api/", "/API/HEALTH", "/api/health/", "//api//health") },
  { weight: 1, arbitrary: tileIdArb.map((room) => `/${PID}/${room}`) },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((segs) => `/${segs.join("/")}`) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }).map((segs) => `/api/${segs.join("/")}`) },
);

const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant("") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("?", "?a=b", "?__proto__[polluted]=1", "?constructor[prototype][x]=1", `?_authToken=${tokenRef(1)}`, "?sessionId=x&reconnectionToken=y", "?a=%ff", "?&&&=&", "?a[]=1&a[]=2"),
  },
  { weight: 1, arbitrary: fc.array(fc.tuple(segment, segment), { maxLength: 6 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`) },
);

/** Header values fetch accepts (a ByteString without CR, LF or NUL). */
const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,60}$/),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => "v".repeat(n)),
);

export const contentTypeArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "application/json;charset=latin1", "application/json; charset=koi8-r",
      "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/vnd.api+json", "application/*", "*/*", "",
      "application/json, text/plain", "APPLICATION/JSON", "application/msgpack", "application/octet-stream", "text/json", "application/json; charset=\"utf-8\"; x=y",
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

const authorizationArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: tokenArb.map((t) => `Bearer ${t}`) },
  { weight: 1, arbitrary: forgedArb.map((t) => `Bearer ${t}`) },
  { weight: 2, arbitrary: fc.constantFrom("Bearer", "Bearer ", "Bearer null", "Bearer undefined", "Basic YWRhOmFkYQ==", "bearer x", "Bearer a.b.c", "Bearer ....", "Bearer  x") },
  { weight: 1, arbitrary: headerValue.map((v) => `Bearer ${v}`) },
);

const headersArb: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: contentTypeArb.map((v): [string, string] => ["content-type", v]) },
    { weight: 4, arbitrary: authorizationArb.map((v): [string, string] => ["authorization", v]) },
    { weight: 2, arbitrary: fc.constantFrom("http://evil.example", "null", `http://127.0.0.1:${PORT}`, "http://localhost", "file://", "").map((v): [string, string] => ["origin", v]) },
    { weight: 1, arbitrary: fc.oneof(fc.ipV4(), fc.ipV6(), headerValue).map((v): [string, string] => ["x-forwarded-for", v]) },
    { weight: 1, arbitrary: fc.constantFrom("gzip", "br", "deflate", "identity;q=0", "*", "x").map((v): [string, string] => ["accept-encoding", v]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("accept", "cookie", "x-colyseus", "referer", "user-agent", "x-tessera-forwarded-by", "if-none-match", "range", "forwarded"), headerValue) },
    { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), headerValue) },
  ),
  { maxLength: 5 },
);

const fetchMethod = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("GET", "POST") },
  { weight: 2, arbitrary: fc.constantFrom("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS") },
  { weight: 1, arbitrary: fc.constantFrom("PROPFIND", "M-SEARCH", "X-JUNK", "get", "post", "Purge", "QUERY") },
);

export const fetchCaseArb: fc.Arbitrary<FetchCase> = fc
  .record({ method: fetchMethod, route: routeArb, query: queryArb, headers: headersArb, body: bodyArb })
  .map(({ method, route, query, headers, body }) => ({
    kind: "fetch" as const,
    method,
    path: `${route}${query}`,
    headers,
    body: method.toUpperCase() === "GET" || method.toUpperCase() === "HEAD" ? undefined : body,
  }));

/** How a raw request frames its body, lies included. */
export type Framing =
  | { t: "none" }
  | { t: "cl"; delta: number }
  | { t: "cl-text"; value: string }
  | { t: "cl-dup"; a: number; b: number }
  | { t: "chunked"; pieces: number; sizeJunk: string; terminate: boolean; alsoCl: boolean; te: string };

export interface RawHttpCase {
  kind: "raw";
  method: string;
  target: string;
  version: string;
  host: "ok" | "missing" | "double" | "junk";
  headers: [string, string][];
  framing: Framing;
  body: BodySpec | undefined;
  /** Written in this many pieces, `pauseMs` apart. */
  pieces: number;
  pauseMs: number;
  /** Half-close after writing. */
  end: boolean;
  /** A second, well-formed request right behind the first (pipelining). */
  pipeline: boolean;
}

/** Header lines that a parser must survive, written as is. */
const rawHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  headersArb.map((h): [string, string] => h[0] ?? ["x-a", "b"]),
  fc.constantFrom<[string, string]>(
    ["expect", "100-continue"], ["connection", "close"], ["connection", "upgrade"], ["upgrade", "websocket"], ["upgrade", "h2c"], ["connection", "keep-alive, upgrade"],
    ["x-folded", "a\r\n b"], ["bad header", "x"], ["", "x"], ["x-nul", "a\u0000b"], ["x-utf8", "ünïcödé"], ["sec-websocket-key", "junk"], ["sec-websocket-version", "13"],
    ["transfer-encoding", "gzip"], ["transfer-encoding", "identity"], ["content-encoding", "gzip"], ["x-lf", "a\nb"], [":authority", "x"], ["x-tessera-forwarded-by", "someone"],
  ),
  fc.integer({ min: 8_000, max: 20_000 }).map((n): [string, string] => ["x-big", "h".repeat(n)]),
);

const framingArb: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ t: "none" as const }) },
  { weight: 4, arbitrary: fc.constantFrom(0, 0, 0, 1, 7, 100, 4096, -1, -5).map((delta) => ({ t: "cl" as const, delta })) },
  { weight: 1, arbitrary: fc.constantFrom("-1", "abc", "1e3", "0x10", " 5", "5 ", "99999999999999999999", "", "+5", "1,2", "NaN").map((value) => ({ t: "cl-text" as const, value })) },
  { weight: 1, arbitrary: fc.record({ a: fc.nat({ max: 64 }), b: fc.nat({ max: 64 }) }).map(({ a, b }) => ({ t: "cl-dup" as const, a, b })) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("chunked" as const),
      pieces: fc.integer({ min: 1, max: 6 }),
      sizeJunk: fc.constantFrom("", "", "", "zz", ";ext=1", " ", "-1", "ffffffffffffffff", "0x"),
      terminate: fc.boolean(),
      alsoCl: fc.boolean(),
      te: fc.constantFrom("chunked", "chunked", "Chunked", "chunked, chunked", "gzip, chunked", " chunked", "chunked\t"),
    }),
  },
);

export const rawHttpCaseArb: fc.Arbitrary<RawHttpCase> = fc.record({
  kind: fc.constant("raw" as const),
  method: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE") },
    { weight: 1, arbitrary: fc.constantFrom("CONNECT", "TRACE", "get", "G ET", "", "PRI", "POST\u0000", "X".repeat(300), "\u00e9") },
  ),
  target: fc.oneof(
    { weight: 5, arbitrary: fc.tuple(routeArb, queryArb).map(([r, q]) => r + q) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "*", "api/health", "http://127.0.0.1/api/health", "http://evil.example/api/session", "/../../etc/passwd", "/api/../api/health", "/assets/../../package.json",
        "/api/tiles/tile_2_2/open/..", "/\\..\\..\\", "/a b", "/%", "//", "/api/health#frag", "/\u00e9", "/api/\u0000", "/" + "x".repeat(20_000), "/api/tiles/../../matchmake/joinById/tile_2_2",
      ),
    },
  ),
  version: fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1 x", "HTTP/1.11", "", "http/1.1"),
  host: fc.constantFrom<"ok" | "missing" | "double" | "junk">("ok", "ok", "ok", "missing", "double", "junk"),
  headers: fc.array(rawHeader, { maxLength: 4 }),
  framing: framingArb,
  body: bodyArb,
  pieces: fc.integer({ min: 1, max: 4 }),
  pauseMs: fc.constantFrom(0, 0, 0, 5, 30),
  end: fc.boolean(),
  pipeline: fc.boolean(),
});

/**
 * A request with a body past any reasonable size (over 1 MiB), declared with Content-Length or
 * streamed chunked: the relay must answer or cut it off, never read it all.
 */
export interface OversizeCase {
  kind: "oversize";
  method: string;
  path: string;
  contentType: string;
  chunked: boolean;
  /** Content-Length declared (MiB); the fuzzer sends a little over 1 MiB of it. */
  declaredMiB: number;
  auth: string | undefined;
}

export const oversizeCaseArb: fc.Arbitrary<OversizeCase> = fc.record({
  kind: fc.constant("oversize" as const),
  method: fc.constantFrom("POST", "POST", "POST", "PUT", "GET"),
  path: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom("joinById", "join", "joinOrCreate", "create", "reconnect", "junk"), fc.constantFrom("tile_2_2", "tile", "tile_9_9")).map(([m, r]) => `/matchmake/${m}/${r}`) },
    { weight: 3, arbitrary: fc.constantFrom("/api/session", "/api/tiles/tile_2_2/open", "/api/health", "/api/junk", "/", "/index.html") },
  ),
  contentType: fc.constantFrom("application/json", "application/json", "text/plain", "application/octet-stream", ""),
  chunked: fc.boolean(),
  declaredMiB: fc.integer({ min: 2, max: 512 }),
  auth: fc.option(tokenArb.map((t) => `Bearer ${t}`), { nil: undefined }),
});

// ---------------------------------------------------------------------------------------------
// Room messages through the Colyseus SDK (room.send / room.sendBytes)

/** An `input` payload: valid (the next seq, 1-4 ticks), or a valid one with one thing wrong, or junk. */
export type InputSpec =
  | { t: "valid"; step: number; ticks: [number, number][] }
  | { t: "near"; step: number; ticks: [number, number][]; where: "seq" | "ticks" | "tick" | "keys" | "yaw" | "extra" | "proto" | "missing"; value: unknown; at: number }
  | { t: "junk"; value: unknown };

const validTick: fc.Arbitrary<[number, number]> = fc.tuple(fc.integer({ min: 0, max: 63 }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }));

export const inputSpecArb: fc.Arbitrary<InputSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("valid" as const), step: fc.constantFrom(1, 1, 1, 2, 5), ticks: fc.array(validTick, { minLength: 1, maxLength: 4 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("near" as const),
      step: fc.constantFrom(1, 0, -1, 3),
      ticks: fc.array(validTick, { minLength: 1, maxLength: 4 }),
      where: fc.constantFrom<"seq" | "ticks" | "tick" | "keys" | "yaw" | "extra" | "proto" | "missing">("seq", "ticks", "tick", "keys", "yaw", "extra", "proto", "missing"),
      value: fc.oneof(
        { weight: 3, arbitrary: nastyNumber },
        { weight: 1, arbitrary: fc.constantFrom(null, undefined, "1", "", true, [], {}, [[]], [[1]], [[1, 0, 0]], [[1, 0], [1]], [NaN, 0]) },
        { weight: 1, arbitrary: fc.array(validTick, { minLength: 5, maxLength: 40 }) },
        { weight: 1, arbitrary: fc.integer({ min: 100, max: 7000 }).map((n) => Array.from({ length: n }, () => [1, 0])) },
        { weight: 1, arbitrary: anyValue },
      ),
      at: fc.nat({ max: 3 }),
    }),
  },
  { weight: 2, arbitrary: anyValue.map((value) => ({ t: "junk" as const, value })) },
);

/** One operation of an `edit`, before the lane places it in its tile. */
export type EditOpSpec =
  | { op: "create"; dx: number; dz: number; y: number; preset: string; size: number; restore: number | undefined }
  | { op: "change"; id: number; field: "position" | "scale" | "physical" | "root" | "faces"; expect: boolean; value: number }
  | { op: "delete" | "unlink"; ids: number[] }
  | { op: "link"; root: number; children: number[] };

/** An `edit` payload: a well-formed batch, one with one thing wrong, or junk. */
export type EditSpec =
  | { t: "batch"; ops: EditOpSpec[]; wrong: { at: number; key: string; value: unknown } | undefined }
  | { t: "junk"; value: unknown };

/** Prim ids: the demo world's (the world's own), the fuzz's own new ones, and some that never were. */
const primIdArb = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 6000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 32, 0xf000_0000, 1.5) });

const editOpArb: fc.Arbitrary<EditOpSpec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("create" as const),
      // Mostly in the lane's tile; some across its border.
      dx: fc.double({ min: -8, max: 72, noNaN: true }),
      dz: fc.double({ min: -8, max: 72, noNaN: true }),
      y: fc.double({ min: -5, max: 40, noNaN: true }),
      preset: fc.constantFrom("box", "cylinder", "prism", "sphere", "torus", "tube", "ring", "cone", "pyramid", "hemisphere"),
      size: fc.double({ min: 0.005, max: 70, noNaN: true }),
      restore: fc.option(primIdArb, { nil: undefined, freq: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("change" as const),
      id: primIdArb,
      field: fc.constantFrom<"position" | "scale" | "physical" | "root" | "faces">("position", "scale", "physical", "root", "faces"),
      expect: fc.boolean(),
      value: fc.double({ min: -100, max: 300, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom<"delete" | "unlink">("delete", "unlink"), ids: fc.array(primIdArb, { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("link" as const), root: primIdArb, children: fc.array(primIdArb, { minLength: 1, maxLength: 8 }) }) },
);

export const editSpecArb: fc.Arbitrary<EditSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("batch" as const), ops: fc.array(editOpArb, { minLength: 1, maxLength: 6 }), wrong: fc.constant(undefined) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("batch" as const),
      ops: fc.array(editOpArb, { minLength: 1, maxLength: 6 }),
      wrong: fc.record({
        at: fc.nat({ max: 5 }),
        key: fc.constantFrom("op", "id", "ids", "prim", "to", "from", "root", "children", "extra", "__proto__", "ops", "batchId"),
        value: fc.oneof(
          { weight: 2, arbitrary: nastyNumber },
          { weight: 1, arbitrary: fc.constantFrom(null, undefined, "", "create", true, [], {}, [[]], { position: {} }, { scale: { x: 1e9, y: 1, z: 1 } }) },
          { weight: 1, arbitrary: fc.integer({ min: 65, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => ({ op: "delete", ids: [i + 1] }))) },
          { weight: 1, arbitrary: anyValue },
        ),
      }),
    }),
  },
  { weight: 1, arbitrary: anyValue.map((value) => ({ t: "junk" as const, value })) },
);

/** A `select` payload: prim ids (the lane's tile's, other tiles', ones that never were), with one thing wrong, or junk. */
export type SelectSpec = { t: "ids"; ids: number[]; wrong: { key: string; value: unknown } | undefined } | { t: "junk"; value: unknown };

export const selectSpecArb: fc.Arbitrary<SelectSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("ids" as const), ids: fc.array(primIdArb, { maxLength: 12 }), wrong: fc.constant(undefined) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("ids" as const),
      ids: fc.array(primIdArb, { maxLength: 12 }),
      wrong: fc.record({
        key: fc.constantFrom("ids", "extra", "__proto__"),
        value: fc.oneof(
          { weight: 2, arbitrary: nastyNumber },
          { weight: 1, arbitrary: fc.constantFrom(null, undefined, "", true, [], {}, [[1]], ["1"], [null]) },
          { weight: 1, arbitrary: fc.integer({ min: 257, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => i + 1)) },
          { weight: 1, arbitrary: anyValue },
        ),
      }),
    }),
  },
  { weight: 1, arbitrary: anyValue.map((value) => ({ t: "junk" as const, value })) },
);

/** A message type as `room.send` takes it. */
const messageTypeArb: fc.Arbitrary<string | number> = fc.oneof(
  { weight: 3, arbitrary: junkString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 127, 128, 255, 256, 65536, 2 ** 32, -(2 ** 31), 1.5, -0.5, 1e300, NaN, Infinity)) },
);

export type MessageCase =
  | { kind: "input"; input: InputSpec }
  | { kind: "edit"; edit: EditSpec }
  | { kind: "select"; select: SelectSpec }
  | { kind: "send"; type: string | number; payload: unknown }
  | { kind: "bytes"; type: string | number; bytes: Uint8Array }
  | { kind: "burst"; count: number; input: InputSpec };

export const messageCaseArb: fc.Arbitrary<MessageCase> = fc.oneof(
  { weight: 12, arbitrary: inputSpecArb.map((input) => ({ kind: "input" as const, input })) },
  { weight: 6, arbitrary: editSpecArb.map((edit) => ({ kind: "edit" as const, edit })) },
  { weight: 3, arbitrary: selectSpecArb.map((select) => ({ kind: "select" as const, select })) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("send" as const), type: messageTypeArb, payload: fc.oneof(anyValue, inputSpecArb.map((spec) => (spec.t === "junk" ? spec.value : { seq: 1, ticks: spec.ticks }))) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("bytes" as const), type: fc.oneof(messageTypeArb, fc.constantFrom("input", "edit", "select")), bytes: fc.uint8Array({ maxLength: 512 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("burst" as const), count: fc.constantFrom(20, 95, 120, 250, 320), input: inputSpecArb }) },
);

// ---------------------------------------------------------------------------------------------
// Raw Colyseus frames (on a joined room's socket)

/** Colyseus protocol codes (@colyseus/shared-types Protocol). */
export const Code = {
  JOIN_ROOM: 10,
  ERROR: 11,
  LEAVE_ROOM: 12,
  ROOM_DATA: 13,
  ROOM_STATE: 14,
  ROOM_STATE_PATCH: 15,
  ROOM_DATA_SCHEMA: 16,
  ROOM_DATA_BYTES: 17,
  PING: 18,
  ROOM_INPUT_RELIABLE: 19,
  ROOM_INPUT_UNRELIABLE: 20,
  ROOM_REQUEST: 21,
  ROOM_RESPONSE: 22,
} as const;

/** A msgpack body, maybe cut short or followed by junk. */
export interface MsgBody {
  msg: Msg;
  /** Bytes dropped from the end. */
  cut: number;
  junk: Uint8Array;
}

export type FrameCase =
  | { kind: "data"; mod: number; type: TypeHeader; body: MsgBody | undefined }
  | { kind: "request"; mod: number; id: TypeHeader; type: TypeHeader; body: MsgBody | undefined }
  | { kind: "bytes"; mod: number; type: TypeHeader; bytes: Uint8Array }
  | { kind: "code"; code: number; tail: Uint8Array }
  | { kind: "empty" }
  | { kind: "text"; text: string }
  | { kind: "oversize"; bytes: number; code: number }
  | { kind: "seq"; frames: FrameCase[] };

const intWidth = fc.constantFrom<"fix" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64">("fix", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64");

/** MessagePack values, mostly well-formed, with every type and width, and lies. */
export const msgArb: fc.Arbitrary<Msg> = fc.letrec<{ msg: Msg }>((tie) => ({
  msg: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 2, arbitrary: fc.constant<Msg>({ t: "nil" }) },
    { weight: 2, arbitrary: fc.boolean().map((v): Msg => ({ t: "bool", v })) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant("int" as const), v: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.bigInt({ min: -40n, max: 300n })), as: intWidth }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant("float" as const), v: nastyNumber, as: fc.constantFrom<"f32" | "f64">("f32", "f64") }) },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant("str" as const),
        v: junkString,
        as: fc.constantFrom<"fix" | "8" | "16" | "32">("fix", "8", "16", "32"),
        lie: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: 100_000 }) }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("bin" as const),
        v: fc.uint8Array({ maxLength: 64 }),
        as: fc.constantFrom<"8" | "16" | "32">("8", "16", "32"),
        lie: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: 2 ** 31 }) }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("arr" as const),
        items: fc.array(tie("msg"), { maxLength: 6 }),
        lie: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1, 2, 1000, 2 ** 32) }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("map" as const),
        entries: fc.array(fc.tuple(tie("msg"), tie("msg")), { maxLength: 5 }),
        lie: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1, 3, 70_000, 2 ** 32) }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("ext" as const), type: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0xff, 0x72, 0x73, 0x74, 0x75, 0x78, 0x62, 0x65, 0x69, 0x6d, 0x70, 0x78, 0x42, 0x74)), data: fc.uint8Array({ maxLength: 40 }) }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes): Msg => ({ t: "raw", bytes })) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("nest" as const), depth: fc.oneof(fc.integer({ min: 2, max: 2000 }), fc.integer({ min: 5000, max: 30_000 })), open: fc.constantFrom<"array" | "map">("array", "map") }) },
  ),
})).msg;

/** A well-formed `input` payload as msgpack (so that lies elsewhere are the only fault). */
const inputMsgArb: fc.Arbitrary<Msg> = fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.array(validTick, { minLength: 1, maxLength: 4 })).map(([seq, ticks]) => ({
  t: "map",
  lie: 0,
  entries: [
    [{ t: "str", v: "seq", as: "fix", lie: 0 }, { t: "int", v: BigInt(seq + ticks.length), as: "u32" }],
    [{ t: "str", v: "ticks", as: "fix", lie: 0 }, { t: "arr", lie: 0, items: ticks.map(([k, y]): Msg => ({ t: "arr", lie: 0, items: [{ t: "int", v: BigInt(k), as: "fix" }, { t: "float", v: y, as: "f64" }] })) }],
  ],
}));

const msgBodyArb: fc.Arbitrary<MsgBody> = fc.record({
  msg: fc.oneof({ weight: 3, arbitrary: msgArb }, { weight: 1, arbitrary: inputMsgArb }),
  cut: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }) }),
  junk: fc.oneof({ weight: 5, arbitrary: fc.constant(new Uint8Array()) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
});

export const typeHeaderArb: fc.Arbitrary<TypeHeader> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("str" as const), v: fc.oneof(fc.constant("input"), junkString), lie: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.integer({ min: -3, max: 70_000 })) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("num" as const),
      v: nastyNumber,
      as: fc.constantFrom<"fix" | "f32" | "f64" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64">("fix", "f32", "f64", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"),
    }),
  },
  // Prefixes the schema decoder reads as neither a string nor a number (the type comes out undefined).
  { weight: 2, arbitrary: fc.record({ t: fc.constant("bad" as const), prefix: fc.oneof(fc.integer({ min: 0x80, max: 0xa0 }), fc.integer({ min: 0xc0, max: 0xc9 }), fc.integer({ min: 0xd4, max: 0xdf })), tail: fc.uint8Array({ maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: "none" as const }) },
);

/** Room-data codes with the protocol's modifier bits (64, 128) now and then. */
const modArb = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(32, 64, 128, 192, 224) });

const singleFrameArb: fc.Arbitrary<FrameCase> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("data" as const), mod: modArb, type: typeHeaderArb, body: fc.option(msgBodyArb, { nil: undefined, freq: 8 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("request" as const), mod: modArb, id: typeHeaderArb, type: typeHeaderArb, body: fc.option(msgBodyArb, { nil: undefined, freq: 8 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("bytes" as const), mod: modArb, type: typeHeaderArb, bytes: fc.uint8Array({ maxLength: 600 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("code" as const),
      code: fc.oneof(fc.constantFrom(...Object.values(Code)), fc.integer({ min: 0, max: 255 })),
      tail: fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array({ maxLength: 64 })),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "empty" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("text" as const), text: junkString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("oversize" as const), bytes: fc.integer({ min: 64 * 1024 + 1, max: 300 * 1024 }), code: fc.constantFrom(Code.ROOM_DATA, Code.ROOM_DATA_BYTES, 0) }) },
);

export const frameCaseArb: fc.Arbitrary<FrameCase> = fc.oneof(
  { weight: 9, arbitrary: singleFrameArb },
  { weight: 1, arbitrary: fc.array(singleFrameArb, { minLength: 2, maxLength: 6 }).map((frames) => ({ kind: "seq" as const, frames })) },
);

// ---------------------------------------------------------------------------------------------
// Whole connections: odd socket paths, the join handshake out of order, reconnection, WebSocket framing

/** One step of a room connection driven by hand (raw `ws`). */
export type Step =
  | { t: "frame"; frame: FrameCase }
  | { t: "ack" }
  | { t: "leave" }
  | { t: "terminate" }
  | { t: "close"; code: number }
  | { t: "reconnect"; via: "ws" | "matchmake"; token: "same" | "junk" | "none" }
  | { t: "reuseSeat" }
  | { t: "wait"; ms: number };

/** A WebSocket frame written by hand on a raw TCP socket. */
export interface RawWsFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Uint8Array;
  /** How the length is written: as it should be, in a longer form than needed, or a lie. */
  length: "exact" | "long" | "lie";
  lie: number;
}

export type SocketCase =
  | { kind: "path"; path: string; headers: [string, string][]; frames: FrameCase[] }
  | { kind: "life"; tile: string; options: string; auth: "ok" | "none" | "junk" | "forged"; steps: Step[] }
  | { kind: "framing"; target: "room" | "junk"; frames: RawWsFrame[] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: frameCaseArb.map((frame): Step => ({ t: "frame", frame })) },
  { weight: 3, arbitrary: fc.constant<Step>({ t: "ack" }) },
  { weight: 1, arbitrary: fc.constant<Step>({ t: "leave" }) },
  { weight: 1, arbitrary: fc.constant<Step>({ t: "terminate" }) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 1001, 1005, 1006, 1011, 3000, 4000, 4002, 4010, 4999).map((code): Step => ({ t: "close", code })) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("reconnect" as const),
      via: fc.constantFrom<"ws" | "matchmake">("ws", "matchmake"),
      token: fc.constantFrom<"same" | "junk" | "none">("same", "same", "junk", "none"),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ t: "reuseSeat" }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 20, 100).map((ms): Step => ({ t: "wait", ms })) },
);

const rawWsFrameArb: fc.Arbitrary<RawWsFrame> = fc.record({
  fin: fc.boolean(),
  rsv: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
  opcode: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
  masked: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  payload: fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom(Uint8Array.from([0x03, 0xe8]), Uint8Array.from([0x03]), Uint8Array.from([0x00, 0x00]), Uint8Array.from([0x13, 0x88, 0xff, 0xfe]), Uint8Array.from([Code.ROOM_DATA, 0xa5, 0x69, 0x6e, 0x70, 0x75, 0x74, 0xc1])) },
  ),
  length: fc.constantFrom<"exact" | "long" | "lie">("exact", "exact", "exact", "long", "lie"),
  lie: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(65_536, 2 ** 31, 2 ** 40)),
});

export const socketCaseArb: fc.Arbitrary<SocketCase> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("path" as const),
      path: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.tuple(tileIdArb, fc.constantFrom("", "?sessionId=", "?sessionId=junk", "?sessionId=junk&reconnectionToken=junk", "?reconnectionToken=x", `?sessionId=x&_authToken=${tokenRef(2)}`, "?skipHandshake=1&sessionId=a", "?sessionId=%00")).map(
            ([room, q]) => `/${PID}/${room}${q}`,
          ),
        },
        { weight: 2, arbitrary: fc.tuple(segment, tileIdArb).map(([pid, room]) => `/${pid}/${room}?sessionId=x`) },
        { weight: 2, arbitrary: fc.constantFrom("/", "/?sessionId=x", "/api/health", "/matchmake/joinById/tile_2_2", "/a/b/c/d", "/tile_2_2", `/${PID}`, `/${PID}/`, `//${PID}/tile_2_2`, `/${PID}/tile_2_2/`, "/%2e%2e/tile_2_2?sessionId=x") },
        { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((segs) => `/${segs.join("/")}`) },
      ),
      headers: fc.array(fc.tuple(fc.constantFrom("origin", "sec-websocket-protocol", "cookie", "x-tessera-forwarded-by", "authorization"), headerValue), { maxLength: 2 }),
      frames: fc.array(frameCaseArb, { maxLength: 4 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("life" as const),
      tile: fc.oneof({ weight: 6, arbitrary: fc.constant("tile_2_2") }, { weight: 1, arbitrary: fc.constantFrom("tile_1_2", "tile_2_1", "tile_0_0") }),
      options: fc.oneof(
        { weight: 6, arbitrary: fc.record({ name: nameArb, enter: fc.boolean() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
        { weight: 1, arbitrary: joinOptionsJson },
      ),
      auth: fc.constantFrom<"ok" | "none" | "junk" | "forged">("ok", "ok", "ok", "ok", "none", "junk", "forged"),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("framing" as const),
      target: fc.constantFrom<"room" | "junk">("room", "room", "junk"),
      frames: fc.array(rawWsFrameArb, { minLength: 1, maxLength: 5 }),
    }),
  },
);
