import { ConfigError, readRelayConfig } from "./config.ts";
import { startRelay } from "./relay.ts";

try {
  const config = readRelayConfig(process.env, process.argv.slice(2));
  const relay = await startRelay(config, { handleSignals: true });
  const { grid, tileSize } = config.world;
  console.log(`Tessera relay: ${grid.width} x ${grid.depth} tiles of ${tileSize} m. Open ${relay.url}`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
