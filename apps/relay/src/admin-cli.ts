import { openWorldStore } from "@tessera/store";
import { runAdmin } from "./admin/admin-command.ts";
import { ConfigError, readRelayConfig, storeOptions } from "./config.ts";

/** `npm run admin -- ...`: operators' settings in the world store the relay with this environment uses (DATA_DIR, DATABASE_URL). */
try {
  const config = readRelayConfig(process.env, []);
  const store = await openWorldStore(storeOptions(config));
  try {
    console.log(await runAdmin(store, process.argv.slice(2)));
  } finally {
    await store.close();
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
