import { openWorldStore } from "@tessera/store";
import { loadAuthSecret } from "./auth/secret.ts";
import { readClusterArgs, type ClusterArgs } from "./cluster/cluster-args.ts";
import { peerAddress } from "./cluster/process-directory.ts";
import { pingRedis, redactRedisUrl } from "./cluster/redis-check.ts";
import { RelayGroup } from "./cluster/relay-group.ts";
import { ConfigError, storeOptions } from "./config.ts";

/**
 * `npm run cluster -- --processes N [relay flags]`: N relays of one world on PORT, PORT+1, ...,
 * sharing one Redis and one auth secret. Any of them serves the whole world; the first is printed.
 */
let args: ClusterArgs;
try {
  args = readClusterArgs(process.env, process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { processes, relayArgs, config, redisUrl } = args;

try {
  await pingRedis(redisUrl);
  // Once here rather than by every relay at once: PostgreSQL answers, and its tables are up to date.
  await (await openWorldStore(storeOptions(config))).close();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// The relay's own secret from the data directory, unless AUTH_SECRET is set: guests keep their
// identity across restarts, and between `npm start` and `npm run cluster`.
const secret = config.authSecret ?? (await loadAuthSecret(undefined, config.dataDir)).toString("utf8");

let exitCode = 0;
let stopping: Promise<void> | undefined;
const group = new RelayGroup((port, how) => {
  console.error(`The relay on port ${port} exited (${how}): stopping the cluster.`);
  shutDown(1);
});
function shutDown(code: number): void {
  exitCode = Math.max(exitCode, code);
  stopping ??= group.stop().then(() => process.exit(exitCode));
}
// A terminal's Ctrl-C reaches the relays too; each shuts down on the first of SIGINT and SIGTERM.
process.on("SIGINT", () => shutDown(0));
process.on("SIGTERM", () => shutDown(0));

const ports = Array.from({ length: processes }, (_, i) => config.port + i);
group.start(ports, relayArgs, { ...process.env, REDIS_URL: redisUrl, AUTH_SECRET: secret });
try {
  await group.ready(peerAddress(config.host, config.port).host);
  const range = processes > 1 ? `ports ${ports[0]}-${ports.at(-1)}` : `port ${ports[0]}`;
  console.log(`Tessera cluster: ${processes} relays on ${range}, sharing ${redactRedisUrl(redisUrl)} and PostgreSQL. Open http://localhost:${config.port}`);
} catch (error) {
  // A relay that exited has said so already.
  if (!stopping) console.error(`${(error as Error).message}: stopping the cluster.`);
  shutDown(1);
}
