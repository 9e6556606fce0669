import { mkdir, readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

const SECRET_FILE = "auth-secret";

/**
 * The key that signs guest tokens and tile claims: `AUTH_SECRET` when set (every relay of a cluster
 * must share it), else one generated on first start and kept in the data directory, so that
 * guests keep their identity across restarts.
 */
export async function loadAuthSecret(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, "utf8");
  const path = join(dataDir, SECRET_FILE);
  try {
    const stored = (await readFile(path, "utf8")).trim();
    if (stored.length >= 32) return Buffer.from(stored, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("base64url");
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return Buffer.from(secret, "utf8");
}
